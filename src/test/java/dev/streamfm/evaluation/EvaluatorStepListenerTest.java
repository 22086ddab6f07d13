package dev.streamfm.evaluation;

import dev.streamfm.features.FeatureSpec;
import dev.streamfm.model.Model;
import dev.streamfm.model.ModelConfig;
import dev.streamfm.model.ModelType;
import dev.streamfm.model.Models;
import dev.streamfm.synth.SynthConfig;
import dev.streamfm.synth.SynthShape;
import dev.streamfm.synth.SyntheticExample;
import dev.streamfm.synth.SyntheticGenerator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The evaluator's per-step hook: every step, its events in model order, analysis on every k-th step only. */
class EvaluatorStepListenerTest {

    private static final int EVENTS = 1000;
    private static final int BATCH = 64;
    private static final int EVERY = 3;

    @Test
    void listenerSeesEveryStepWithItsEventsAndTheAnalysisOnEveryKthStep() {
        SyntheticGenerator g = new SyntheticGenerator(SynthShape.FRAPPE_LIKE, SynthConfig.defaults(4));
        FeatureSpec spec = FeatureSpec.forShape(SynthShape.FRAPPE_LIKE);
        ModelConfig config = ModelConfig.builder(ModelType.DEEPFM).sizes(4, List.of(8)).build();
        List<String> seenIds = new ArrayList<>();
        List<Boolean> analysed = new ArrayList<>();
        List<Integer> scored = new ArrayList<>();
        PassResult withListener;
        try (Model m = Models.create(config, spec.layout())) {
            withListener = new PrequentialEvaluator(m, spec, BATCH).train(g.examples(0, EVENTS), n -> { }, EVERY,
                    (events, result, scores) -> {
                        assertEquals(events.size(), result.predictions().length);
                        events.forEach(e -> seenIds.add(e.event().getEventId()));
                        analysed.add(result.analysis().isPresent());
                        result.analysis().ifPresent(a -> assertEquals(a.firstPair().orElseThrow().batchSize(),
                                events.size()));
                        scored.add(scores.size());
                    });
        }
        List<String> ids = new ArrayList<>();
        g.examples(0, EVENTS).forEachRemaining(e -> ids.add(e.event().getEventId()));
        assertEquals(ids, seenIds, "every event once, in stream order");
        int steps = (EVENTS + BATCH - 1) / BATCH;
        assertEquals(steps, withListener.steps());
        for (int s = 0; s < steps; s++) {
            assertEquals(s % EVERY == 0, analysed.get(s), "step " + s);
            assertEquals(Math.min(EVENTS, (s + 1) * BATCH), scored.get(s));
        }

        // Analysing does not change what the model learns: the same scores as a plain pass.
        PassResult plain;
        try (Model m = Models.create(config, spec.layout())) {
            plain = new PrequentialEvaluator(m, spec, BATCH).train(g.examples(0, EVENTS), n -> { });
        }
        for (int from = 0; from < EVENTS; from += BATCH) {
            Metrics a = plain.scores().metrics(from, Math.min(EVENTS, from + BATCH));
            Metrics b = withListener.scores().metrics(from, Math.min(EVENTS, from + BATCH));
            assertEquals(a.logloss(), b.logloss(), 1e-9, "batch at " + from);
            assertEquals(a.auc(), b.auc(), 1e-9, "batch at " + from);
        }
    }

    @Test
    void negativeAnalyseEveryIsRefused() {
        FeatureSpec spec = FeatureSpec.forShape(SynthShape.FRAPPE_LIKE);
        try (Model m = Models.create(ModelConfig.builder(ModelType.FM).sizes(4, List.of()).build(), spec.layout())) {
            Iterator<SyntheticExample> none = List.<SyntheticExample>of().iterator();
            assertThrows(IllegalArgumentException.class, () -> new PrequentialEvaluator(m, spec, BATCH)
                    .train(none, n -> { }, -1, (events, result, scores) -> { }));
        }
    }
}
