package dev.streamfm.evaluation;

import dev.streamfm.features.BatchBuilder;
import dev.streamfm.features.FeatureBatch;
import dev.streamfm.features.FeatureSpec;
import dev.streamfm.features.FeatureStats;
import dev.streamfm.model.Model;
import dev.streamfm.model.ModelConfig;
import dev.streamfm.model.ModelType;
import dev.streamfm.model.Models;
import dev.streamfm.schema.ClickEvent;
import dev.streamfm.synth.BayesReference;
import dev.streamfm.synth.SynthConfig;
import dev.streamfm.synth.SynthShape;
import dev.streamfm.synth.SyntheticExample;
import dev.streamfm.synth.SyntheticGenerator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrequentialEvaluatorTest {

    private static final SynthShape TINY = new SynthShape("tiny", 3, 20, 64, 4, List.of(8));
    private static final FeatureSpec SPEC = FeatureSpec.forShape(TINY);
    private static final ModelConfig CONFIG = ModelConfig.builder(ModelType.DEEPFM).sizes(4, List.of(8)).build();

    private record Example(ClickEvent event, int label) implements LabeledEvent {
    }

    private static List<SyntheticExample> stream(int n) {
        SyntheticGenerator g = new SyntheticGenerator(TINY, SynthConfig.defaults(3));
        List<SyntheticExample> out = new ArrayList<>();
        g.examples(0, n).forEachRemaining(out::add);
        return out;
    }

    @Test
    void everyBatchIsPredictedBeforeItIsTrainedOn() {
        List<SyntheticExample> examples = stream(10);
        PassResult result;
        try (Model model = Models.create(CONFIG, SPEC.layout())) {
            result = new PrequentialEvaluator(model, SPEC, 4).train(examples.iterator(), n -> { });
            assertEquals(3, model.step(), "batches of 4, 4 and the partial 2");
        }
        assertEquals(3, result.steps());
        assertEquals(10, result.examples());
        // Replay by hand on a twin model: predict each batch, then train on it.
        try (Model twin = Models.create(CONFIG, SPEC.layout())) {
            for (int from = 0; from < 10; from += 4) {
                List<SyntheticExample> part = examples.subList(from, Math.min(10, from + 4));
                FeatureBatch batch = batch(part);
                float[] expected = twin.predict(batch);
                for (int i = 0; i < part.size(); i++) {
                    assertEquals(expected[i], result.scores().score(from + i), 0, "position " + (from + i));
                    assertEquals(part.get(i).label(), result.scores().label(from + i));
                }
                twin.trainStep(batch, labels(part));
            }
        }
    }

    @Test
    void freezesTheModelWhenScoring() {
        List<SyntheticExample> examples = stream(40);
        try (Model model = Models.create(CONFIG, SPEC.layout())) {
            PrequentialEvaluator evaluator = new PrequentialEvaluator(model, SPEC, 16);
            evaluator.train(examples.subList(0, 32).iterator(), n -> { });
            long step = model.step();
            PassResult holdout = evaluator.score(examples.subList(32, 40).iterator(), n -> { });
            assertEquals(step, model.step());
            assertEquals(0, holdout.steps());
            PassResult again = evaluator.score(examples.subList(32, 40).iterator(), n -> { });
            assertEquals(holdout.scores().all(), again.scores().all(), "a frozen model scores the same twice");
        }
    }

    @Test
    void countsRejectedEventsByReasonAndKeepsPositionsAligned() {
        List<SyntheticExample> accepted = stream(6);
        List<LabeledEvent> events = new ArrayList<>(accepted);
        ClickEvent noId = new ClickEvent("", events.get(0).event().getEventTime(), Map.of("f0", "v1"), Map.of(),
                Map.of(), null);
        events.add(2, new Example(noId, 1));
        events.add(4, new Example(events.get(0).event(), 3));
        long[] progress = {0};
        PassResult result;
        try (Model model = Models.create(CONFIG, SPEC.layout())) {
            result = new PrequentialEvaluator(model, SPEC, 4).train(events.iterator(), n -> progress[0] += n);
        }
        assertEquals(Map.of("missing_event_id", 1L, "invalid_label", 1L), result.rejected());
        assertEquals(2, result.rejectedTotal());
        assertEquals(6, result.examples());
        assertEquals(8, progress[0], "progress counts every consumed event");
        assertEquals(BayesReference.of(accepted), result.scores().reference(0, 6).orElseThrow(),
                "positions are those of the accepted events");
    }

    @Test
    void noReferenceWhenAnExampleLacksItsTrueProbability() {
        List<LabeledEvent> events = new ArrayList<>(stream(6));
        events.add(new Example(events.get(0).event(), 1));
        try (Model model = Models.create(CONFIG, SPEC.layout())) {
            PassResult result = new PrequentialEvaluator(model, SPEC, 4).train(events.iterator(), n -> { });
            assertEquals(7, result.examples());
            assertTrue(result.scores().reference(0, 6).isEmpty());
        }
    }

    @Test
    void synthesisedStreamsCarryTheirBayesReference() {
        List<SyntheticExample> examples = stream(300);
        PassResult result;
        try (Model model = Models.create(CONFIG, SPEC.layout())) {
            result = new PrequentialEvaluator(model, SPEC, 32).train(examples.iterator(), n -> { });
        }
        Metrics bayes = BayesReference.of(examples.subList(100, 300));
        assertEquals(bayes, result.scores().reference(100, 300).orElseThrow());
        assertEquals(BayesReference.of(examples), result.scores().reference(0, 300).orElseThrow());
        assertEquals(result.scores().metrics(200, 300), result.scores().last(100));
        assertEquals(examples.stream().mapToInt(SyntheticExample::label).sum(), result.scores().all().positives());
    }

    private static FeatureBatch batch(List<SyntheticExample> part) {
        BatchBuilder b = new BatchBuilder(SPEC, new FeatureStats(), part.size());
        for (SyntheticExample e : part) {
            try {
                b.add(e.event());
            } catch (Exception ex) {
                throw new AssertionError(ex);
            }
        }
        return b.build();
    }

    private static float[] labels(List<SyntheticExample> part) {
        float[] y = new float[part.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = part.get(i).label();
        }
        return y;
    }
}
