package dev.streamfm.model.tf;

import dev.streamfm.features.FeatureBatch;
import dev.streamfm.features.FeatureLayout;
import dev.streamfm.model.ModelConfig;
import dev.streamfm.model.ModelState;
import dev.streamfm.model.ModelType;
import dev.streamfm.model.SparseOptimizer;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A training step updates only the table rows its batch touched: every other row of every table
 * and optimizer slot stays bitwise identical, and a touched row moves exactly by one Adagrad or
 * FTRL update with the gradient the model reports, which for LR is the per-example sum over the
 * batch of the textbook (p - y) * x.
 */
class SparseUpdateTest {

    private static final int SIZE = 16;
    private static final int ROWS_PER_FIELD = 50;

    @Test
    void logisticRegressionGradientAndAdagradStepMatchHandComputation() {
        FeatureLayout layout = Fixtures.singleSlot(4, ROWS_PER_FIELD);
        ModelConfig config = Fixtures.config(ModelType.LR, 2, List.of(), false, 0, 0, 0.1);
        try (TfModel model = new TfModel(config, layout)) {
            Random random = new Random(3);
            warmUp(model, layout, random);
            FeatureBatch batch = Fixtures.batch(layout, SIZE, random, true);
            float[] labels = Fixtures.labels(SIZE, random);
            GradientProbe probe = model.probe(batch, labels);

            // g_w[row] = sum over occurrences of the row of (p_b - y_b) * x_bs: per example, not a batch mean
            double[] expected = new double[(int) layout.totalRows()];
            float[] p = model.predict(batch);
            for (int b = 0; b < SIZE; b++) {
                for (int s = 0; s < layout.slots(); s++) {
                    int i = b * layout.slots() + s;
                    expected[batch.rows()[i]] += (p[b] - labels[b]) * (double) batch.values()[i];
                }
            }
            float[] gradient = probe.gradient("linear");
            int[] touched = probe.touchedRows();
            for (int t = 0; t < touched.length; t++) {
                assertEquals(expected[touched[t]], gradient[t], 1e-6 + 1e-5 * Math.abs(expected[touched[t]]),
                        "first-order gradient of row " + touched[t]);
            }
            assertStepTouchesOnlyBatchRows(model, batch, labels, probe, List.of("linear"));
        }
    }

    @Test
    void deepFmStepTouchesOnlyBatchRowsOfEveryTable() {
        deepFmStep(Fixtures.config(ModelType.DEEPFM_DECOUPLED, 3, List.of(8, 4), true, 0, 0.01, 0.1));
    }

    @Test
    void deepFmFtrlStepTouchesOnlyBatchRowsOfEveryTable() {
        deepFmStep(Fixtures.withOptimizer(Fixtures.config(ModelType.DEEPFM_DECOUPLED, 3, List.of(8, 4), true, 0, 0.01,
                0.1), SparseOptimizer.FTRL, 0.001));
    }

    /**
     * FTRL's z slot starts where the closed form gives back each initial weight, so the first
     * update moves a weight by a plain Adagrad step instead of throwing its initial value away.
     */
    @Test
    void ftrlSlotsStartConsistentWithTheInitialWeights() {
        FeatureLayout layout = Fixtures.singleSlot(3, ROWS_PER_FIELD);
        ModelConfig config = Fixtures.withOptimizer(Fixtures.config(ModelType.FM, 4, List.of(), false, 0, 0, 0.1),
                SparseOptimizer.FTRL, 0.01);
        try (TfModel model = new TfModel(config, layout)) {
            ModelState state = model.exportState();
            float[] w = state.variable("embedding").values();
            float[] n = state.variable("embedding.ftrl_n").values();
            float[] z = state.variable("embedding.ftrl_z").values();
            int nonZero = 0;
            for (int i = 0; i < w.length; i++) {
                assertEquals(config.initAccumulator(), n[i], 1e-7);
                assertEquals(w[i], ftrlWeight(z[i], n[i], config), 1e-6 + 1e-5 * Math.abs(w[i]), "weight " + i);
                nonZero += w[i] != 0 ? 1 : 0;
            }
            assertTrue(nonZero > w.length / 2, "the embedding starts random");
        }
    }

    private static void deepFmStep(ModelConfig config) {
        FeatureLayout layout = Fixtures.multiSlot(new int[] {1, 3, 1}, ROWS_PER_FIELD);
        try (TfModel model = new TfModel(config, layout)) {
            Random random = new Random(4);
            warmUp(model, layout, random);
            FeatureBatch batch = Fixtures.batch(layout, SIZE, random, true);
            float[] labels = Fixtures.labels(SIZE, random);
            assertStepTouchesOnlyBatchRows(model, batch, labels, model.probe(batch, labels),
                    List.of("embedding", "fm_embedding", "linear"));
        }
    }

    /** Steps on other batches first, so weights and accumulators differ from their initial values. */
    private static void warmUp(TfModel model, FeatureLayout layout, Random random) {
        for (int i = 0; i < 3; i++) {
            model.trainStep(Fixtures.batch(layout, SIZE, random, true), Fixtures.labels(SIZE, random));
        }
    }

    private static void assertStepTouchesOnlyBatchRows(TfModel model, FeatureBatch batch, float[] labels,
                                                      GradientProbe probe, List<String> tables) {
        ModelState before = model.exportState();
        model.trainStep(batch, labels);
        ModelState after = model.exportState();
        Set<Integer> inBatch = new HashSet<>();
        Arrays.stream(batch.rows()).forEach(inBatch::add);
        int[] touched = probe.touchedRows();
        assertEquals(inBatch.size(), touched.length, "touched rows are the distinct batch rows");
        for (String table : tables) {
            for (String variable : variables(model.config(), table)) {
                float[] b = before.variable(variable).values();
                float[] a = after.variable(variable).values();
                int width = b.length / (int) model.layout().totalRows();
                int changed = 0;
                for (int row = 0; row < b.length / width; row++) {
                    float[] rowBefore = Arrays.copyOfRange(b, row * width, (row + 1) * width);
                    float[] rowAfter = Arrays.copyOfRange(a, row * width, (row + 1) * width);
                    if (!inBatch.contains(row)) {
                        assertTrue(Arrays.equals(rowBefore, rowAfter), variable + " row " + row + " is outside the batch but changed");
                    } else if (!Arrays.equals(rowBefore, rowAfter)) {
                        changed++;
                    }
                }
                assertTrue(changed > 0, variable + ": no touched row changed");
            }
            int t = touched.length / 2;
            float[] g = probe.gradient(table);
            int width = g.length / touched.length;
            boolean moved = false;
            for (int d = 0; d < width; d++) {
                int i = touched[t] * width + d;
                float gd = g[t * width + d];
                String where = table + " row " + touched[t] + " dim " + d;
                switch (model.config().optimizer()) {
                    case ADAGRAD -> assertAdagradStep(model.config(), before, after, table, i, gd, where);
                    case FTRL -> assertFtrlStep(model.config(), before, after, table, i, gd, where);
                }
                moved |= gd != 0;
            }
            assertTrue(moved, table + " row " + touched[t] + " had a zero gradient; the hand check would be vacuous");
        }
        assertFalse(tables.isEmpty());
    }

    private static List<String> variables(ModelConfig config, String table) {
        return switch (config.optimizer()) {
            case ADAGRAD -> List.of(table, table + ".adagrad");
            case FTRL -> List.of(table, table + ".ftrl_n", table + ".ftrl_z");
        };
    }

    /** acc += g^2; w -= lr * g / (sqrt(acc) + eps). */
    private static void assertAdagradStep(ModelConfig config, ModelState before, ModelState after, String table, int i,
                                          float g, String where) {
        float acc = before.variable(table + ".adagrad").values()[i] + g * g;
        float w = (float) (before.variable(table).values()[i] - config.embeddingLr() * g
                / (Math.sqrt(acc) + SparseAdagrad.EPSILON));
        assertEquals(acc, after.variable(table + ".adagrad").values()[i], 1e-6f * acc, where + " accumulator");
        assertEquals(w, after.variable(table).values()[i], 1e-6f + 1e-5f * Math.abs(w), where + " weight");
    }

    /** n' = n + g^2; z += g - (sqrt(n') - sqrt(n)) / lr * w; w from (z, n'). */
    private static void assertFtrlStep(ModelConfig config, ModelState before, ModelState after, String table, int i,
                                       float g, String where) {
        double n = before.variable(table + ".ftrl_n").values()[i];
        double nNew = n + (double) g * g;
        double w = before.variable(table).values()[i];
        double z = before.variable(table + ".ftrl_z").values()[i] + g - (Math.sqrt(nNew) - Math.sqrt(n)) / config.embeddingLr() * w;
        double wNew = ftrlWeight(z, nNew, config);
        assertEquals(nNew, after.variable(table + ".ftrl_n").values()[i], 1e-6 * nNew, where + " accumulator");
        assertEquals(z, after.variable(table + ".ftrl_z").values()[i], 1e-5 + 1e-5 * Math.abs(z), where + " z");
        assertEquals(wNew, after.variable(table).values()[i], 1e-6 + 1e-5 * Math.abs(wNew), where + " weight");
    }

    private static double ftrlWeight(double z, double n, ModelConfig config) {
        return Math.abs(z) <= config.l1() ? 0 : -(z - Math.signum(z) * config.l1()) * config.embeddingLr() / Math.sqrt(n);
    }
}
