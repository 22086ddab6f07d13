package dev.streamfm.model.tf;

import dev.streamfm.features.FeatureBatch;
import dev.streamfm.features.FeatureLayout;
import dev.streamfm.model.DelayedFeedback;
import dev.streamfm.model.ModelConfig;
import dev.streamfm.model.ModelType;
import dev.streamfm.model.SparseOptimizer;
import dev.streamfm.model.SquaredGradients;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The TensorFlow LR against {@link ReferenceLogisticRegression} over a stream of batches in which
 * rows repeat within a batch and across batches: the same predictions at every step and the same
 * first-order weights at the end, for Adagrad and for FTRL with and without L1, with the
 * accumulator adding per-example squares (the default) or the square of the batch's sum. With
 * batches of one example both are textbook per-example Adagrad / FTRL.
 */
class PerExampleUpdateTest {

    private static final int ROWS_PER_FIELD = 6;
    private static final int EXAMPLES = 320;

    @Test
    void adagradMatchesThePlainJavaReference() {
        compare(Fixtures.withOptimizer(lrConfig(), SparseOptimizer.ADAGRAD, 0), 8);
    }

    @Test
    void adagradWithBatchesOfOneIsPerExampleAdagrad() {
        compare(Fixtures.withOptimizer(lrConfig(), SparseOptimizer.ADAGRAD, 0), 1);
    }

    @Test
    void adagradAccumulatingSummedSquaresMatchesThePlainJavaReference() {
        compare(batchSquares(Fixtures.withOptimizer(lrConfig(), SparseOptimizer.ADAGRAD, 0)), 8);
    }

    @Test
    void ftrlAccumulatingSummedSquaresMatchesThePlainJavaReference() {
        compare(batchSquares(Fixtures.withOptimizer(lrConfig(), SparseOptimizer.FTRL, 1.0)), 8);
    }

    @Test
    void ftrlMatchesThePlainJavaReference() {
        compare(Fixtures.withOptimizer(lrConfig(), SparseOptimizer.FTRL, 0), 8);
    }

    @Test
    void ftrlWithL1MatchesThePlainJavaReferenceAndZeroesWeakRows() {
        double[] w = compare(Fixtures.withOptimizer(lrConfig(), SparseOptimizer.FTRL, 1.0), 8);
        long zeros = java.util.Arrays.stream(w).filter(x -> x == 0).count();
        assertTrue(zeros > 0 && zeros < w.length, "L1 should zero some rows but not all: " + zeros + " of " + w.length);
    }

    @Test
    void fakeNegativeWeightingMatchesThePlainJavaReference() {
        compare(lrConfig().withFeedback(DelayedFeedback.FAKE_NEGATIVE), 8);
    }

    private static ModelConfig batchSquares(ModelConfig c) {
        return c.toBuilder().squaredGradients(SquaredGradients.BATCH).build();
    }

    private static ModelConfig lrConfig() {
        return Fixtures.config(ModelType.LR, 2, List.of(), false, 0, 0, 0.1);
    }

    /** Returns the final first-order weights. */
    private static double[] compare(ModelConfig config, int size) {
        FeatureLayout layout = Fixtures.multiSlot(new int[] {1, 2, 1}, ROWS_PER_FIELD);
        Random random = new Random(21);
        ReferenceLogisticRegression reference = new ReferenceLogisticRegression(config, (int) layout.totalRows());
        try (TfModel model = new TfModel(config, layout)) {
            for (int step = 0; step < EXAMPLES / size; step++) {
                FeatureBatch batch = Fixtures.batch(layout, size, random, true);
                // a label that depends on the first field, so the weights have something to learn
                float[] labels = new float[size];
                for (int b = 0; b < size; b++) {
                    labels[b] = batch.rows()[b * layout.slots()] % 2 == 0 || random.nextInt(5) == 0 ? 1f : 0f;
                }
                float[] p = model.trainStep(batch, labels).predictions();
                double[] expected = reference.trainStep(batch, labels);
                for (int b = 0; b < size; b++) {
                    assertEquals(expected[b], p[b], 2e-5, "prediction " + b + " of step " + step);
                }
            }
            double[] w = reference.weights();
            float[] actual = model.exportState().variable("linear").values();
            double largest = 0;
            for (int row = 0; row < w.length; row++) {
                assertEquals(w[row], actual[row], 1e-4 + 1e-4 * Math.abs(w[row]), "weight of row " + row);
                largest = Math.max(largest, Math.abs(w[row]));
            }
            assertTrue(largest > 0.3, "the weights moved enough for the comparison to mean something: " + largest);
            return w;
        }
    }
}
