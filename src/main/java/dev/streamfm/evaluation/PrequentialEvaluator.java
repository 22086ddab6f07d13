package dev.streamfm.evaluation;

import dev.streamfm.features.BatchBuilder;
import dev.streamfm.features.FeatureBatch;
import dev.streamfm.features.FeatureSpec;
import dev.streamfm.features.FeatureStats;
import dev.streamfm.model.Model;
import dev.streamfm.stream.RecordRejectedException;
import dev.streamfm.stream.RejectReason;

import java.util.Arrays;
import java.util.Iterator;
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
        return pass(stream, progress, true);
    }

    /** Scores a stream with the model frozen (a holdout set after training). */
    public PassResult score(Iterator<? extends LabeledEvent> stream, LongConsumer progress) {
        return pass(stream, progress, false);
    }

    private PassResult pass(Iterator<? extends LabeledEvent> stream, LongConsumer progress, boolean train) {
        long start = System.nanoTime();
        ScoreLog log = new ScoreLog();
        Map<String, Long> rejected = new TreeMap<>();
        float[] labels = new float[batchSize];
        double[] truth = new double[batchSize];
        long steps = 0;
        long consumed = 0;
        builder.clear();
        while (stream.hasNext()) {
            LabeledEvent e = stream.next();
            consumed++;
            try {
                if (e.label() != 0 && e.label() != 1) {
                    throw new RecordRejectedException(RejectReason.INVALID_LABEL, "label must be 0 or 1, got "
                            + e.label());
                }
                builder.add(e.event());
            } catch (RecordRejectedException r) {
                rejected.merge(r.reason().label(), 1L, Long::sum);
                continue;
            }
            int i = builder.size() - 1;
            labels[i] = e.label();
            truth[i] = e.knownProbability().orElse(Double.NaN);
            if (builder.size() == batchSize) {
                steps += step(log, labels, truth, train);
                progress.accept(consumed);
                consumed = 0;
            }
        }
        if (builder.size() > 0) {
            steps += step(log, labels, truth, train);
        }
        progress.accept(consumed);
        return new PassResult(log, rejected, steps, (System.nanoTime() - start) / 1e9);
    }

    private int step(ScoreLog log, float[] labels, double[] truth, boolean train) {
        FeatureBatch batch = builder.build();
        builder.clear();
        int n = batch.size();
        float[] predictions;
        if (train) {
            float[] y = n == labels.length ? labels : Arrays.copyOf(labels, n);
            predictions = model.trainStep(batch, y).predictions();
        } else {
            predictions = model.predict(batch);
        }
        for (int i = 0; i < n; i++) {
            log.add(predictions[i], (byte) labels[i], truth[i]);
        }
        return train ? 1 : 0;
    }
}
