package dev.streamfm.evaluation;

import dev.streamfm.features.BatchBuilder;
import dev.streamfm.features.FeatureBatch;
import dev.streamfm.features.FeatureSpec;
import dev.streamfm.features.FeatureStats;
import dev.streamfm.model.DelayedFeedback;
import dev.streamfm.model.Model;
import dev.streamfm.model.ModelConfig;
import dev.streamfm.model.ModelType;
import dev.streamfm.model.Models;
import dev.streamfm.schema.ClickEvent;
import dev.streamfm.synth.SynthConfig;
import dev.streamfm.synth.SynthShape;
import dev.streamfm.synth.SyntheticExample;
import dev.streamfm.synth.SyntheticGenerator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The offline replay of the service's arrival order against a twin model driven by hand from the
 * rules in README ("Delayed labels"): what is scored when, and which examples it was trained on.
 */
class DelayedFeedbackEvaluatorTest {

    private static final SynthShape TINY = new SynthShape("tiny", 3, 20, 64, 4, List.of(8));
    private static final FeatureSpec SPEC = FeatureSpec.forShape(TINY);
    private static final int N = 120;
    private static final int BATCH = 4;
    private static final long WINDOW = 20;

    private static List<TimedEvent> stream(long maxDelay) {
        SyntheticGenerator g = new SyntheticGenerator(TINY, SynthConfig.defaults(5));
        List<SyntheticExample> examples = new ArrayList<>();
        g.examples(0, N).forEachRemaining(examples::add);
        List<TimedEvent> out = new ArrayList<>();
        // 1 event per ms; clicks labeled up to maxDelay later, some of them after the window
        new PacedArrivals(examples.iterator(), 1000, maxDelay, 3).forEachRemaining(out::add);
        return out;
    }

    private record Example(long time, long order, int index, ClickEvent event, float label) {
    }

    @Test
    void windowFeedbackTrainsEachEventWindowPlusGraceAfterItWithItsLabelAtClose() {
        check(DelayedFeedback.WINDOW, 5);
    }

    @Test
    void fakeNegativeFeedbackTrainsNegativesAtOnceAndClicksWhenTheyArrive() {
        check(DelayedFeedback.FAKE_NEGATIVE, 0);
    }

    private static void check(DelayedFeedback feedback, long grace) {
        List<TimedEvent> events = stream(2 * WINDOW);
        ModelConfig config = ModelConfig.builder(ModelType.FM).sizes(4, List.of()).build().withFeedback(feedback);
        LabelArrival arrival = new LabelArrival(WINDOW, grace, feedback, 1_000_000);
        PassResult result;
        try (Model model = Models.create(config, SPEC.layout())) {
            result = new DelayedFeedbackEvaluator(model, SPEC, BATCH, arrival).run(events.iterator(), n -> { });
        }
        long positives = 0;
        long late = 0;
        // The twin: before scoring the batch that starts at time t, train, in batches of 4 in
        // (release time, order) order, every example released by t whose event was scored (an
        // example never exists before its event's prediction); partial batches wait.
        List<Example> released = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            TimedEvent e = events.get(i);
            boolean positive = e.attributed(WINDOW);
            positives += positive ? 1 : 0;
            late += e.labeled().label() == 1 && !positive ? 1 : 0;
            ClickEvent ev = e.labeled().event();
            if (feedback == DelayedFeedback.WINDOW) {
                released.add(new Example(e.eventTime() + WINDOW + grace, i * 2L, i, ev, positive ? 1 : 0));
            } else {
                released.add(new Example(e.eventTime(), i * 2L, i, ev, 0));
                if (positive) {
                    released.add(new Example(e.clickTime(), i * 2L + 1, i, ev, 1));
                }
            }
        }
        released.sort(Comparator.comparingLong(Example::time).thenComparingLong(Example::order));
        assertTrue(positives > 5 && late > 0, "the stream has clicks inside and after the window: " + positives
                + ", " + late);
        List<Example> waiting = new ArrayList<>();
        long steps = 0;
        try (Model twin = Models.create(config, SPEC.layout())) {
            for (int from = 0; from < N; from += BATCH) {
                long now = events.get(from).eventTime();
                int scoredBefore = from;
                List<Example> ready = released.stream().filter(x -> x.time() <= now && x.index() < scoredBefore).toList();
                released.removeAll(ready);
                waiting.addAll(ready);
                while (waiting.size() >= BATCH) {
                    List<Example> part = waiting.subList(0, BATCH);
                    float[] y = new float[BATCH];
                    for (int i = 0; i < BATCH; i++) {
                        y[i] = part.get(i).label();
                    }
                    twin.trainStep(batch(part.stream().map(Example::event).toList()), y);
                    part.clear();
                    steps++;
                }
                List<TimedEvent> scored = events.subList(from, Math.min(N, from + BATCH));
                float[] expected = twin.predict(batch(scored.stream().map(t -> t.labeled().event()).toList()));
                for (int i = 0; i < scored.size(); i++) {
                    assertEquals(expected[i], result.scores().score(from + i), 0, "position " + (from + i));
                    assertEquals(scored.get(i).attributed(WINDOW) ? 1 : 0, result.scores().label(from + i),
                            "the label is the one at window close");
                }
            }
        }
        assertTrue(steps > 10, "enough was trained for the comparison to mean something: " + steps);
        assertEquals(steps, result.steps());
    }

    @Test
    void refusesAModelWhoseLossIsForTheOtherFeedback() {
        try (Model model = Models.create(ModelConfig.builder(ModelType.FM).sizes(4, List.of()).build(), SPEC.layout())) {
            LabelArrival fnw = new LabelArrival(WINDOW, 0, DelayedFeedback.FAKE_NEGATIVE, 0);
            assertThrows(IllegalArgumentException.class, () -> new DelayedFeedbackEvaluator(model, SPEC, BATCH, fnw));
        }
    }

    private static FeatureBatch batch(List<ClickEvent> events) {
        BatchBuilder b = new BatchBuilder(SPEC, new FeatureStats(), events.size());
        for (ClickEvent e : events) {
            try {
                b.add(e);
            } catch (Exception ex) {
                throw new AssertionError(ex);
            }
        }
        return b.build();
    }
}
