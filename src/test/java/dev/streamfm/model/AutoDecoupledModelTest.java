package dev.streamfm.model;

import dev.streamfm.analysis.GradientConflict;
import dev.streamfm.analysis.StepAnalysis;
import dev.streamfm.analysis.TowerGradients;
import dev.streamfm.features.FeatureBatch;
import dev.streamfm.features.FeatureLayout;
import dev.streamfm.model.tf.TfModel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Automatic decoupling on a real TensorFlow DeepFM: which fields it decouples (against a
 * recomputation from the raw per-tower gradients of a twin that never decides), the rows a
 * decoupled tower starts from, the rows a still coupled field's tower table never takes, and
 * exact replay across export and import.
 */
class AutoDecoupledModelTest {

    private static final int FIELDS = 6;
    private static final int ROWS = 12;
    private static final int SIZE = 32;
    /** Observations per decision: with one pair (FM-DNN) and every step analysed, steps per decision. */
    private static final int WINDOW = 4;
    private static final double THRESHOLD = 0.5;
    private static final FeatureLayout LAYOUT = FeatureLayout.singleSlot(
            IntStream.range(0, FIELDS).mapToObj(f -> "f" + f).toList(), filled(ROWS));

    private static int[] filled(int v) {
        int[] a = new int[FIELDS];
        Arrays.fill(a, v);
        return a;
    }

    private static ModelConfig config() {
        return config(THRESHOLD);
    }

    /** Every step observed, so a decision comes within a few steps. */
    private static ModelConfig config(double threshold) {
        return ModelConfig.builder(ModelType.DEEPFM).sizes(4, List.of(8)).sharing(EmbeddingSharing.AUTO)
                .decoupling(new DecouplingRule(1, WINDOW, threshold))
                .embeddingLr(0.2).initStddev(0.3).seed(3L).build();
    }

    private static AutoDecoupledModel model(double threshold) {
        return new AutoDecoupledModel(new TfModel(config(threshold), LAYOUT));
    }

    private static FeatureBatch batch(Random random) {
        int[] rows = new int[SIZE * FIELDS];
        for (int b = 0; b < SIZE; b++) {
            for (int f = 0; f < FIELDS; f++) {
                rows[b * FIELDS + f] = f * ROWS + random.nextInt(ROWS);
            }
        }
        return FeatureBatch.ofRows(SIZE, FIELDS, rows);
    }

    private static float[] labels(Random random) {
        float[] y = new float[SIZE];
        for (int i = 0; i < SIZE; i++) {
            y[i] = random.nextInt(3) == 0 ? 1f : 0f;
        }
        return y;
    }

    private static int[] rowsOf(int field) {
        return IntStream.range(field * ROWS, (field + 1) * ROWS).toArray();
    }

    @Test
    void theFieldsWhoseTowersConflictedMostGetSeparateRowsStartingFromTheSharedOnes() {
        Random data = new Random(17);
        List<FeatureBatch> batches = new ArrayList<>();
        List<float[]> labels = new ArrayList<>();
        for (int i = 0; i < WINDOW; i++) {
            batches.add(batch(data));
            labels.add(labels(data));
        }
        // The twin never decides (no share exceeds 1): its analyses are the raw tower gradients.
        int[] conflicting = new int[FIELDS];
        int[] observed = new int[FIELDS];
        int[] twinChanged = null;
        try (AutoDecoupledModel twin = model(1.0)) {
            for (int i = 0; i < WINDOW; i++) {
                TrainResult r = twin.trainStep(batches.get(i), labels.get(i), AnalysisLevel.FULL);
                twinChanged = r.changedRows();
                StepAnalysis a = r.analysis().orElseThrow();
                TowerGradients fmDnn = a.pairs().get(0);
                assertEquals("fm-dnn", fmDnn.pair());
                for (int f = 0; f < FIELDS; f++) {
                    var c = GradientConflict.of(fmDnn.fieldDot(f), fmDnn.fieldFirstNormSq(f),
                            fmDnn.fieldSecondNormSq(f));
                    observed[f] += c.isPresent() ? 1 : 0;
                    conflicting[f] += c.isPresent() && c.get().conflicting() ? 1 : 0;
                }
            }
            assertFalse(contains(twin.decoupled(), true), "a threshold of 1 decouples nothing");
        }
        boolean[] expected = new boolean[FIELDS];
        for (int f = 0; f < FIELDS; f++) {
            assertEquals(WINDOW, observed[f], "every field is in every batch");
            expected[f] = conflicting[f] / (double) observed[f] > THRESHOLD;
        }
        assertTrue(contains(expected, true) && contains(expected, false),
                "the stream must make some fields conflict and some not, or the test proves little: "
                        + Arrays.toString(conflicting));

        try (AutoDecoupledModel m = model(THRESHOLD)) {
            float[][] fmBefore = new float[FIELDS][];
            for (int i = 0; i < WINDOW; i++) {
                if (i == WINDOW - 1) {
                    for (int f = 0; f < FIELDS; f++) {
                        fmBefore[f] = m.readRows("fm_embedding", rowsOf(f));
                    }
                }
                TrainResult r = m.trainStep(batches.get(i), labels.get(i));
                assertTrue(r.analysis().isEmpty(), "analysis the caller did not ask for stays inside");
                if (i == WINDOW - 1) {
                    for (int row = 0; row < FIELDS * ROWS; row++) {
                        int f = row / ROWS;
                        assertEquals(expected[f] ? 1 : 0, count(r.changedRows(), row) - count(twinChanged, row),
                                "row " + row + ": the copied rows of a decoupled field go into the next checkpoint");
                    }
                }
            }
            assertArrayEquals(expected, m.decoupled(), "decided as the twin's tower gradients say");
            for (int f = 0; f < FIELDS; f++) {
                float[] fm = m.readRows("fm_embedding", rowsOf(f));
                if (expected[f]) {
                    assertArrayEquals(m.readRows("embedding", rowsOf(f)), fm, "f" + f + " starts from the shared rows");
                    assertArrayEquals(m.readRows("embedding.adagrad", rowsOf(f)),
                            m.readRows("fm_embedding.adagrad", rowsOf(f)), "and from their accumulators");
                } else {
                    assertArrayEquals(fmBefore[f], fm, "the FM table of coupled f" + f + " is never read or trained");
                }
            }

            int decoupledField = IntStream.range(0, FIELDS).filter(f -> expected[f]).findFirst().orElseThrow();
            int coupledField = IntStream.range(0, FIELDS).filter(f -> !expected[f]).findFirst().orElseThrow();
            float[] coupledFm = m.readRows("fm_embedding", rowsOf(coupledField));
            for (int i = 0; i < 3; i++) {
                m.trainStep(batch(data), labels(data));
            }
            assertFalse(Arrays.equals(m.readRows("embedding", rowsOf(decoupledField)),
                    m.readRows("fm_embedding", rowsOf(decoupledField))), "the towers' rows of a decoupled field part");
            if (!m.decoupled()[coupledField]) {
                assertArrayEquals(coupledFm, m.readRows("fm_embedding", rowsOf(coupledField)));
            }
        }
    }

    @Test
    void aRestoredModelDecidesAtTheSameStepsAndReplaysBitwise() {
        Random data = new Random(23);
        try (AutoDecoupledModel original = model(0.0); AutoDecoupledModel copy = model(0.0)) {
            for (int i = 0; i < WINDOW + 1; i++) {
                original.trainStep(batch(data), labels(data));
            }
            boolean[] before = original.decoupled();
            copy.importState(original.exportState());
            assertArrayEquals(before, copy.decoupled());
            // Past the next decision: fields not decoupled yet may be decided in the replay.
            for (int i = 0; i < 2 * WINDOW; i++) {
                FeatureBatch b = batch(data);
                float[] y = labels(data);
                TrainResult x = original.trainStep(b, y, new AnalysisCadence(2, 2).at(i));
                TrainResult z = copy.trainStep(b, y, new AnalysisCadence(2, 2).at(i));
                assertArrayEquals(x.predictions(), z.predictions(), "step " + i);
            }
            assertArrayEquals(original.decoupled(), copy.decoupled());
            ModelState a = original.exportState();
            ModelState b = copy.exportState();
            for (VariableValue v : a.variables()) {
                assertArrayEquals(v.values(), b.variable(v.name()).values(), v.name() + " differs after replay");
            }
            assertNotEquals(0, a.variable(AutoDecoupledModel.STATE).values().length);
        }
    }

    @Test
    void onlyAModelBuiltForAutomaticDecouplingIsAccepted() {
        ModelConfig shared = config().toBuilder().sharing(EmbeddingSharing.SHARED).build();
        try (TfModel tables = new TfModel(shared, LAYOUT)) {
            assertThrows(IllegalArgumentException.class, () -> new AutoDecoupledModel(tables));
        }
    }

    private static long count(int[] rows, int row) {
        return Arrays.stream(rows).filter(x -> x == row).count();
    }

    private static boolean contains(boolean[] a, boolean v) {
        for (boolean x : a) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }
}
