package dev.streamfm.model.tf;

import dev.streamfm.features.FeatureBatch;
import dev.streamfm.features.FeatureLayout;
import dev.streamfm.model.ModelConfig;
import dev.streamfm.model.ModelState;
import dev.streamfm.model.ModelType;
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
 * and accumulator stays bitwise identical, and a touched row moves exactly by one Adagrad update
 * with the gradient the model reports, which for LR is the textbook (p - y) / B * x.
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

            // g_w[row] = sum over occurrences of the row of (p_b - y_b) / B * x_bs
            double[] expected = new double[(int) layout.totalRows()];
            float[] p = model.predict(batch);
            for (int b = 0; b < SIZE; b++) {
                for (int s = 0; s < layout.slots(); s++) {
                    int i = b * layout.slots() + s;
                    expected[batch.rows()[i]] += (p[b] - labels[b]) / SIZE * (double) batch.values()[i];
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
        FeatureLayout layout = Fixtures.multiSlot(new int[] {1, 3, 1}, ROWS_PER_FIELD);
        ModelConfig config = Fixtures.config(ModelType.DEEPFM_DECOUPLED, 3, List.of(8, 4), true, 0, 0.01, 0.1);
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
            for (String variable : List.of(table, table + ".adagrad")) {
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
            // one touched row by hand: acc += g^2; w -= lr * g / (sqrt(acc) + eps)
            int t = touched.length / 2;
            int row = touched[t];
            float[] w = before.variable(table).values();
            float[] acc = before.variable(table + ".adagrad").values();
            float[] wAfter = after.variable(table).values();
            float[] accAfter = after.variable(table + ".adagrad").values();
            float[] g = probe.gradient(table);
            int width = g.length / touched.length;
            boolean moved = false;
            for (int d = 0; d < width; d++) {
                int i = row * width + d;
                float gd = g[t * width + d];
                float accNew = acc[i] + gd * gd;
                float wNew = (float) (w[i] - model.config().embeddingLr() * gd / (Math.sqrt(accNew) + SparseAdagrad.EPSILON));
                assertEquals(accNew, accAfter[i], 1e-6f * accNew, table + " accumulator of row " + row);
                assertEquals(wNew, wAfter[i], 1e-6f + 1e-5f * Math.abs(wNew), table + " weight of row " + row);
                moved |= gd != 0;
            }
            assertTrue(moved, table + " row " + row + " had a zero gradient; the hand check would be vacuous");
        }
        assertFalse(tables.isEmpty());
    }
}
