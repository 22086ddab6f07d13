package dev.streamfm.model.tf;

import dev.streamfm.features.FeatureBatch;
import dev.streamfm.features.FeatureLayout;
import dev.streamfm.model.ModelConfig;
import dev.streamfm.model.ModelState;
import dev.streamfm.model.ModelType;
import dev.streamfm.model.LayerKind;
import dev.streamfm.model.SparseOptimizer;
import dev.streamfm.model.SquaredGradients;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A training step updates only the table rows its batch touched: every other row of every table
 * and optimizer slot stays bitwise identical, and a touched row moves exactly by one Adagrad or
 * FTRL update with the gradient the model reports, which for LR is the per-example sum over the
 * batch of the textbook (p - y) * x. Its accumulator adds the square of that sum, or under
 * per-example squares (every table, or the bias and first-order tables only) the sum of the
 * squares of its occurrences' gradients, rebuilt here from the field gradients and logits the
 * probe reports; the bias likewise, from (p - y) per example.
 */
class SparseUpdateTest {

    private static final int SIZE = 16;
    private static final int ROWS_PER_FIELD = 50;
    /** The field path whose output each embedding table of the decoupled DeepFM feeds. */
    private static final Map<String, String> PATH_OF = Map.of("embedding", "dnn", "fm_embedding", "fm");

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

    @ParameterizedTest
    @EnumSource(SquaredGradients.class)
    void deepFmStepTouchesOnlyBatchRowsOfEveryTable(SquaredGradients squares) {
        deepFmStep(Fixtures.config(ModelType.DEEPFM_DECOUPLED, 3, List.of(8, 4), true, 0, 0.01, 0.1).toBuilder()
                .squaredGradients(squares).build());
    }

    @ParameterizedTest
    @EnumSource(SquaredGradients.class)
    void deepFmFtrlStepTouchesOnlyBatchRowsOfEveryTable(SquaredGradients squares) {
        deepFmStep(Fixtures.withOptimizer(Fixtures.config(ModelType.DEEPFM_DECOUPLED, 3, List.of(8, 4), true, 0, 0.01,
                0.1), SparseOptimizer.FTRL, 0.001).toBuilder().squaredGradients(squares).build());
    }

    @Test
    void logisticRegressionAccumulatingSummedSquares() {
        FeatureLayout layout = Fixtures.multiSlot(new int[] {1, 3, 1}, ROWS_PER_FIELD);
        ModelConfig config = Fixtures.config(ModelType.LR, 2, List.of(), false, 0, 0, 0.1).toBuilder()
                .squaredGradients(SquaredGradients.BATCH).build();
        try (TfModel model = new TfModel(config, layout)) {
            Random random = new Random(5);
            warmUp(model, layout, random);
            FeatureBatch batch = Fixtures.batch(layout, SIZE, random, true);
            float[] labels = Fixtures.labels(SIZE, random);
            assertStepTouchesOnlyBatchRows(model, batch, labels, model.probe(batch, labels), List.of("linear"));
        }
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
            float[] g = probe.gradient(table);
            int width = g.length / touched.length;
            double[] squares = occurrenceSquares(model, batch, labels, probe, before, table, width);
            boolean perExample = model.config().squaredGradients().perExample(kind(table));
            // a row several examples read, where the two accumulations differ
            int t = repeatedRow(batch, touched, touched.length / 2);
            boolean moved = false;
            boolean differ = false;
            for (int d = 0; d < width; d++) {
                int i = touched[t] * width + d;
                float gd = g[t * width + d];
                double added = perExample ? squares[t * width + d] : (double) gd * gd;
                String where = table + " row " + touched[t] + " dim " + d;
                assertStep(model.config(), before, after, table, i, gd, added, where);
                moved |= gd != 0;
                differ |= Math.abs(squares[t * width + d] - (double) gd * gd) > 1e-3 * squares[t * width + d];
            }
            assertTrue(moved, table + " row " + touched[t] + " had a zero gradient; the hand check would be vacuous");
            assertTrue(differ, table + " row " + touched[t] + ": the sum of squares equals the square of the sum");
        }
        assertFalse(tables.isEmpty());
        assertBiasStep(model.config(), before, after, probe, labels);
    }

    /** The bias, every example's first-order weight: its per-example gradients are p - y. */
    private static void assertBiasStep(ModelConfig config, ModelState before, ModelState after, GradientProbe probe,
                                       float[] labels) {
        double sum = 0;
        double squares = 0;
        for (int b = 0; b < labels.length; b++) {
            double residual = Fixtures.sigmoid(probe.logits()[b]) - labels[b];
            sum += residual;
            squares += residual * residual;
        }
        float g = probe.gradient("bias")[0];
        assertEquals(sum, g, 1e-5 + 1e-5 * Math.abs(sum), "bias gradient is the sum of p - y");
        boolean perExample = config.squaredGradients().perExample(LayerKind.LINEAR);
        assertStep(config, before, after, "bias", 0, g, perExample ? squares : (double) g * g, "bias");
    }

    private static LayerKind kind(String table) {
        return table.equals("linear") ? LayerKind.LINEAR : LayerKind.EMBEDDING;
    }

    /** The index in {@code touched} of a row read more than once in the batch, from {@code from} on. */
    private static int repeatedRow(FeatureBatch batch, int[] touched, int from) {
        for (int k = 0; k < touched.length; k++) {
            int t = (from + k) % touched.length;
            int row = touched[t];
            if (Arrays.stream(batch.rows()).filter(r -> r == row).count() > 1) {
                return t;
            }
        }
        throw new AssertionError("no row is read twice in the batch");
    }

    /**
     * Per touched row and dimension, the sum over the row's occurrences of the squared per-example
     * gradient: the gradient at the field output the table feeds (B times the batch mean's; for the
     * first-order table the logit's, p - y) times the slot value, plus the L2 term 2 l2 w. Their
     * plain sum is checked against the model's row gradient, so the rebuild is the model's.
     */
    private static double[] occurrenceSquares(TfModel model, FeatureBatch batch, float[] labels, GradientProbe probe,
                                              ModelState before, String table, int width) {
        ModelConfig config = model.config();
        FeatureLayout layout = model.layout();
        int[] touched = probe.touchedRows();
        float[] w = before.variable(table).values();
        float[] fieldGradients = table.equals("linear") ? null : probe.fieldGradients().get(PATH_OF.get(table));
        int fields = layout.fields();
        int slots = layout.slots();
        double[] sums = new double[touched.length * width];
        double[] squares = new double[touched.length * width];
        for (int b = 0; b < batch.size(); b++) {
            for (int s = 0; s < slots; s++) {
                int row = batch.rows()[b * slots + s];
                int t = indexOf(touched, row);
                float x = batch.values()[b * slots + s];
                int f = layout.fieldOfSlot()[s];
                for (int d = 0; d < width; d++) {
                    double upstream = fieldGradients == null ? Fixtures.sigmoid(probe.logits()[b]) - labels[b]
                            : batch.size() * (double) fieldGradients[(b * fields + f) * width + d];
                    double g = upstream * x + (x != 0 ? 2 * config.l2() * w[row * width + d] : 0);
                    sums[t * width + d] += g;
                    squares[t * width + d] += g * g;
                }
            }
        }
        float[] reported = probe.gradient(table);
        for (int i = 0; i < sums.length; i++) {
            assertEquals(sums[i], reported[i], 1e-5 + 1e-4 * Math.abs(sums[i]), table + " gradient " + i
                    + " rebuilt from its occurrences");
        }
        return squares;
    }

    private static int indexOf(int[] values, int value) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] == value) {
                return i;
            }
        }
        throw new AssertionError(value + " is not a touched row");
    }

    private static void assertStep(ModelConfig config, ModelState before, ModelState after, String table, int i,
                                   float g, double added, String where) {
        switch (config.optimizer()) {
            case ADAGRAD -> assertAdagradStep(config, before, after, table, i, g, added, where);
            case FTRL -> assertFtrlStep(config, before, after, table, i, g, added, where);
        }
    }

    private static List<String> variables(ModelConfig config, String table) {
        return switch (config.optimizer()) {
            case ADAGRAD -> List.of(table, table + ".adagrad");
            case FTRL -> List.of(table, table + ".ftrl_n", table + ".ftrl_z");
        };
    }

    /** acc += g^2 (or the per-example squares, {@code added}); w -= lr * g / (sqrt(acc) + eps). */
    private static void assertAdagradStep(ModelConfig config, ModelState before, ModelState after, String table, int i,
                                          float g, double added, String where) {
        float acc = (float) (before.variable(table + ".adagrad").values()[i] + added);
        float w = (float) (before.variable(table).values()[i] - config.embeddingLr() * g
                / (Math.sqrt(acc) + SparseAdagrad.EPSILON));
        assertEquals(acc, after.variable(table + ".adagrad").values()[i], 1e-6f * acc, where + " accumulator");
        assertEquals(w, after.variable(table).values()[i], 1e-6f + 1e-5f * Math.abs(w), where + " weight");
    }

    /** n' = n + g^2 (or {@code added}, the per-example squares); z += g - (sqrt(n') - sqrt(n)) / lr * w. */
    private static void assertFtrlStep(ModelConfig config, ModelState before, ModelState after, String table, int i,
                                       float g, double added, String where) {
        double n = before.variable(table + ".ftrl_n").values()[i];
        double nNew = n + added;
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
