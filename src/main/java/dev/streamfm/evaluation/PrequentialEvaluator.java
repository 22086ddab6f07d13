package dev.streamfm.evaluation;

import dev.streamfm.features.BatchBuilder;
import dev.streamfm.features.FeatureBatch;
import dev.streamfm.features.FeatureSpec;
import dev.streamfm.features.FeatureStats;
import dev.streamfm.model.AnalysisCadence;
import dev.streamfm.model.Model;
import dev.streamfm.model.TrainResult;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongConsumer;

/**
 * Progressive validation of a model over a stream, without Kafka but with the same feature
 * pipeline and model code as the service: events are cut into micro-batches of B accepted
 * examples; each batch is predicted by the current parameters and then trained on
 * ({@link Model#trainStep}), so every prediction is made before the model saw its label. A final
 * partial batch is trained too. Events the feature pipeline rejects are counted by reason, as
 * the service would dead-letter them.
 */
public final class PrequentialEvaluator {

    /** Told about every training step of a pass, e.g. to record its gradient analysis. */
    @FunctionalInterface
    public interface StepListener {

        /**
         * @param events the batch's accepted events, in the order the model saw them (valid during the call)
         * @param result the step's outcome; it carries the gradient analysis on the steps that were analysed
         * @param scores every score of the pass so far, this batch's included
         */
        void onStep(List<LabeledEvent> events, TrainResult result, ScoreLog scores);
    }

    private static final StepListener NO_LISTENER = (events, result, scores) -> {
    };

    private final Model model;
    private final int batchSize;
    private final BatchBuilder builder;
    private final FeatureStats stats = new FeatureStats();

    public PrequentialEvaluator(Model model, FeatureSpec spec, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        if (!spec.layout().equals(model.layout())) {
            throw new IllegalArgumentException("the model was built for another feature layout than the spec's");
        }
        this.model = model;
        this.batchSize = batchSize;
        this.builder = new BatchBuilder(spec, stats, batchSize);
    }

    /** Fields the events carried outside the spec, or lacked, as the feature pipeline counted them. */
    public FeatureStats featureStats() {
        return stats;
    }

    /** One prequential pass: predict each batch, then train on it. Reports consumed events to {@code progress}. */
    public PassResult train(Iterator<? extends LabeledEvent> stream, LongConsumer progress) {
        return train(stream, progress, 0, NO_LISTENER);
    }

    /**
     * A training pass that analyses the gradients of every {@code analyseEvery}-th step (the steps
     * whose number before the update is a multiple of it, as the service's trainer does; 0 = none)
     * and tells {@code listener} about every step.
     */
    public PassResult train(Iterator<? extends LabeledEvent> stream, LongConsumer progress, int analyseEvery,
                            StepListener listener) {
        return pass(stream, progress, true, analyseEvery, listener);
    }

    /** Scores a stream with the model frozen (a holdout set after training). */
    public PassResult score(Iterator<? extends LabeledEvent> stream, LongConsumer progress) {
        return pass(stream, progress, false, 0, NO_LISTENER);
    }

    private PassResult pass(Iterator<? extends LabeledEvent> stream, LongConsumer progress, boolean train,
                            int analyseEvery, StepListener listener) {
        long start = System.nanoTime();
        ScoreLog log = new ScoreLog();
        Map<String, Long> rejected = new TreeMap<>();
        float[] labels = new float[batchSize];
        double[] truth = new double[batchSize];
        List<LabeledEvent> events = new ArrayList<>(batchSize);
        // offline reports chart layer trends, so every analysed step has them
        Step step = new Step(log, labels, truth, events, train, AnalysisCadence.full(analyseEvery), listener);
        long steps = 0;
        long consumed = 0;
        builder.clear();
        while (stream.hasNext()) {
            LabeledEvent e = stream.next();
            consumed++;
            if (!LabeledInput.addOrCount(builder, e, rejected)) {
                continue;
            }
            events.add(e);
            int i = builder.size() - 1;
            labels[i] = e.label();
            truth[i] = e.knownProbability().orElse(Double.NaN);
            if (builder.size() == batchSize) {
                steps += step(step);
                progress.accept(consumed);
                consumed = 0;
            }
        }
        if (builder.size() > 0) {
            steps += step(step);
        }
        progress.accept(consumed);
        return new PassResult(log, rejected, steps, (System.nanoTime() - start) / 1e9);
    }

    /** The state one pass hands to each of its steps. */
    private record Step(ScoreLog log, float[] labels, double[] truth, List<LabeledEvent> events, boolean train,
                        AnalysisCadence analysis, StepListener listener) {
    }

    private int step(Step s) {
        FeatureBatch batch = builder.build();
        builder.clear();
        int n = batch.size();
        float[] predictions;
        TrainResult result = null;
        if (s.train()) {
            float[] y = n == s.labels().length ? s.labels() : Arrays.copyOf(s.labels(), n);
            result = model.trainStep(batch, y, s.analysis().at(model.step()));
            predictions = result.predictions();
        } else {
            predictions = model.predict(batch);
        }
        for (int i = 0; i < n; i++) {
            s.log().add(predictions[i], (byte) s.labels()[i], s.truth()[i]);
        }
        if (result != null) {
            s.listener().onStep(Collections.unmodifiableList(s.events()), result, s.log());
        }
        s.events().clear();
        return s.train() ? 1 : 0;
    }
}
