package dev.streamfm.model;

import dev.streamfm.features.FeatureBatch;
import dev.streamfm.features.FeatureLayout;
import dev.streamfm.features.FeatureSpec;
import dev.streamfm.features.FieldSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Feature admission and expiry on a real TensorFlow model: which row each id trains, read back
 * from the checkpointed admission state and from the tables themselves.
 */
class AdmittedModelTest {

    private static final int ROWS = 8;
    /** Two fields of 8 rows: field 0 is rows 0..7 (0 missing, 1 shared), field 1 rows 8..15. */
    private static final FeatureLayout LAYOUT = FeatureLayout.singleSlot(List.of("a", "b"), new int[] {ROWS, ROWS});
    private static final int SHARED_A = 1;
    private static final int MISSING_B = ROWS;

    static ModelConfig config(SparseOptimizer optimizer, AdmissionConfig admission) {
        return ModelConfig.builder(ModelType.FM).sizes(4, List.of()).optimizer(optimizer).initStddev(0.1)
                .admission(admission).build();
    }

    /** One example: id {@code a} in field a (0 = missing), field b missing. */
    private static FeatureBatch example(int a) {
        return FeatureBatch.ofRows(1, 2, new int[] {a, MISSING_B});
    }

    private static float[] row(Model m, String variable, int row) {
        return m.readRows(variable, new int[] {row});
    }

    /** The admitted row of an id from the checkpointed state, -1 while it shares. */
    private static int admittedRow(Model m, int id) {
        return (int) row(m, RowAdmission.STATE, id)[1];
    }

    @Test
    void anIdSharesTheFieldRowUntilItsKthSightingThenTrainsItsOwn() {
        try (Model m = Models.create(config(SparseOptimizer.ADAGRAD, new AdmissionConfig(3, 0)), LAYOUT)) {
            int id = 5;
            for (int sighting = 1; sighting <= 2; sighting++) {
                float[] shared = row(m, "linear", SHARED_A);
                float[] own = row(m, "linear", id);
                TrainResult r = m.trainStep(example(id), new float[] {1});
                assertEquals(-1, admittedRow(m, id), "sighting " + sighting + " of 3 still shares");
                assertNotEquals(shared[0], row(m, "linear", SHARED_A)[0], "sighting " + sighting + " trains the shared row");
                assertArrayEquals(own, row(m, "linear", id), "the id's bucket row is not trained directly");
                assertEquals(0, r.admission().orElseThrow().admitted());
            }
            float[] shared = row(m, "linear", SHARED_A);
            TrainResult third = m.trainStep(example(id), new float[] {1});
            int own = admittedRow(m, id);
            assertEquals(2, own, "the third sighting is admitted to the field's lowest free row (after missing and shared)");
            assertEquals(1, third.admission().orElseThrow().admitted());
            assertEquals(1, third.admission().orElseThrow().rowsInUse());
            assertArrayEquals(shared, row(m, "linear", SHARED_A), "the admitted sighting leaves the shared row alone");
            assertTrue(row(m, "linear", own)[0] > 0, "the own row learned the click");
            assertEquals(3f, row(m, RowAdmission.STATE, id)[0], "three sightings counted");

            float[] p = m.predict(FeatureBatch.ofRows(3, 2, new int[] {6, MISSING_B, 7, MISSING_B, id, MISSING_B}));
            assertEquals(p[0], p[1], 0f, "two unseen ids predict alike from the shared row");
            assertNotEquals(p[0], p[2], "the admitted id predicts from its own row");
        }
    }

    @Test
    void adagradRowsUnseenForNExamplesAreResetAndReused() {
        expiresResetsAndReuses(SparseOptimizer.ADAGRAD);
    }

    @Test
    void ftrlRowsUnseenForNExamplesAreResetAndReused() {
        expiresResetsAndReuses(SparseOptimizer.FTRL);
    }

    /**
     * An id unseen for N examples gives its row back; the row keeps its values (nobody reads a free
     * row) until its field has no other free row, then it is initialised again and reused.
     */
    private void expiresResetsAndReuses(SparseOptimizer optimizer) {
        ModelConfig config = config(optimizer, new AdmissionConfig(1, 4));
        try (Model m = Models.create(config, LAYOUT)) {
            m.trainStep(example(5), new float[] {1});
            int row = admittedRow(m, 5);
            assertEquals(2, row);
            float[] trainedEmbedding = row(m, "embedding", row);
            float[] filler = new float[] {0};
            for (int i = 0; i < 4; i++) {
                m.trainStep(example(0), filler);
                assertEquals(row, admittedRow(m, 5), "still admitted after " + (i + 1) + " examples without it");
            }
            TrainResult expiry = m.trainStep(example(0), filler);
            assertEquals(-1, admittedRow(m, 5), "4 examples without the id: its row is taken back");
            assertEquals(1, expiry.admission().orElseThrow().expired());
            assertEquals(0, expiry.admission().orElseThrow().rowsInUse());
            assertEquals(0f, row(m, RowAdmission.STATE, 5)[0], "its sightings start again");
            assertEquals(1f, row(m, RowAdmission.STATE, row)[4], "the row is stale");
            assertArrayEquals(trainedEmbedding, row(m, "embedding", row), "a stale row is initialised only when needed");

            // Ids 1, 3, 4, 6, 7 take the field's five untouched rows 3..7; id 2 then finds only the
            // stale row, which is initialised again and handed to it. Its slot value 0 gives it a
            // zero gradient, so what is read back is the reset state itself.
            TrainResult fill = m.trainStep(FeatureBatch.ofRows(5, 2, new int[] {1, MISSING_B, 3, MISSING_B, 4,
                    MISSING_B, 6, MISSING_B, 7, MISSING_B}), new float[] {0, 0, 0, 0, 0});
            assertEquals(0, fill.admission().orElseThrow().reset(), "untouched rows first");
            TrainResult reuse = m.trainStep(new FeatureBatch(1, 2, new int[] {2, MISSING_B}, new float[] {0, 1}),
                    filler);
            assertEquals(row, admittedRow(m, 2), "the freed row goes to the next id admitted");
            assertEquals(1, reuse.admission().orElseThrow().reset());
            assertEquals(0f, row(m, RowAdmission.STATE, row)[4], "no longer stale");

            float[] embedding = row(m, "embedding", row);
            assertFalse(Arrays.equals(trainedEmbedding, embedding), "the embedding is drawn again");
            for (float v : embedding) {
                assertTrue(v != 0 && Math.abs(v) <= 2 * config.initStddev(), "a truncated-normal draw, got " + v);
            }
            assertEquals(0f, row(m, "linear", row)[0], 0f, "first-order weight back to 0");
            if (optimizer == SparseOptimizer.ADAGRAD) {
                assertEquals((float) config.initAccumulator(), row(m, "linear.adagrad", row)[0]);
                assertArrayEquals(filled(4, (float) config.initAccumulator()), row(m, "embedding.adagrad", row));
            } else {
                assertEquals((float) config.initAccumulator(), row(m, "linear.ftrl_n", row)[0]);
                assertEquals(0f, row(m, "linear.ftrl_z", row)[0], 0f);
                // z starts where it reproduces the new weights: w = -z lr / sqrt(n) (l1 = 0).
                float[] z = row(m, "embedding.ftrl_z", row);
                for (int d = 0; d < z.length; d++) {
                    assertEquals(embedding[d], -z[d] * config.embeddingLr() / Math.sqrt(config.initAccumulator()), 1e-6);
                }
            }
        }
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        Arrays.fill(a, v);
        return a;
    }

    @Test
    void aFieldWithoutFreeRowsKeepsNewIdsOnItsSharedRow() {
        FeatureLayout tiny = FeatureLayout.singleSlot(List.of("a", "b"), new int[] {3, ROWS});
        try (Model m = Models.create(config(SparseOptimizer.ADAGRAD, new AdmissionConfig(2, 0)), tiny)) {
            m.trainStep(FeatureBatch.ofRows(2, 2, new int[] {1, 3, 2, 3}), new float[] {1, 0});
            m.trainStep(FeatureBatch.ofRows(2, 2, new int[] {1, 3, 2, 3}), new float[] {1, 0});
            assertEquals(2, (int) m.readRows(RowAdmission.STATE, new int[] {1})[1], "the first id takes the one free row");
            assertEquals(-1, (int) m.readRows(RowAdmission.STATE, new int[] {2})[1], "the second finds none and shares");
        }
    }

    @Test
    void twoModelsOnTheSameStreamMapAndLearnIdentically() {
        ModelConfig config = config(SparseOptimizer.ADAGRAD, new AdmissionConfig(2, 40));
        try (Model a = Models.create(config, LAYOUT); Model b = Models.create(config, LAYOUT)) {
            List<FeatureBatch> batches = batches(new Random(3), 30);
            long expired = 0;
            for (FeatureBatch batch : batches) {
                float[] labels = labels(batch.size());
                a.trainStep(batch, labels);
                expired += b.trainStep(batch, labels).admission().orElseThrow().expired();
            }
            assertTrue(expired > 0, "the stream should exercise expiry");
            assertStatesEqual(a.exportState(), b.exportState());
        }
    }

    /** Export, import into a fresh model, continue: bitwise the model that ran on uninterrupted. */
    @Test
    void exportImportAndReplayContinueBitwiseIdentically() {
        ModelConfig config = config(SparseOptimizer.FTRL, new AdmissionConfig(2, 15));
        List<FeatureBatch> batches = batches(new Random(4), 60);
        try (Model uninterrupted = Models.create(config, LAYOUT); Model restored = Models.create(config, LAYOUT)) {
            for (int s = 0; s < 30; s++) {
                uninterrupted.trainStep(batches.get(s), labels(batches.get(s).size()));
            }
            restored.importState(uninterrupted.exportState());
            long expired = 0;
            long reset = 0;
            for (int s = 30; s < 60; s++) {
                float[] labels = labels(batches.get(s).size());
                TrainResult x = uninterrupted.trainStep(batches.get(s), labels);
                TrainResult y = restored.trainStep(batches.get(s), labels);
                assertArrayEquals(x.predictions(), y.predictions(), "step " + s);
                expired += y.admission().orElseThrow().expired();
                reset += y.admission().orElseThrow().reset();
            }
            assertTrue(expired > 0 && reset > 0, "rows must expire and be reused after the restore, or the rebuilt "
                    + "free and stale rows prove nothing: " + expired + " expired, " + reset + " reset");
            assertStatesEqual(uninterrupted.exportState(), restored.exportState());
        }
    }

    /** A saved model keeps its admission settings and map; a model without admission is refused naming it. */
    @Test
    void aSavedModelCarriesTheAdmissionStateAndSettings(@TempDir Path dir) {
        ModelConfig config = config(SparseOptimizer.ADAGRAD, new AdmissionConfig(2, 40));
        FeatureSpec spec = new FeatureSpec(List.of(FieldSpec.categorical("a", ROWS), FieldSpec.categorical("b", ROWS)));
        try (Model m = Models.create(config, spec.layout())) {
            for (FeatureBatch batch : batches(new Random(5), 10)) {
                m.trainStep(batch, labels(batch.size()));
            }
            ModelDirectory.save(dir, m, spec);
            SavedModel saved = ModelDirectory.read(dir);
            assertEquals(config.admission(), saved.config().admission());
            assertEquals(List.of(), saved.differences(spec, config, m.variables()));
            ModelConfig plain = config(SparseOptimizer.ADAGRAD, AdmissionConfig.OFF);
            try (Model other = Models.create(plain, spec.layout()); Model loaded = saved.load()) {
                List<String> off = saved.differences(spec, plain, other.variables());
                assertTrue(off.stream().anyMatch(d -> d.contains("feature admission or expiry: saved on, here off")),
                        off.toString());
                assertStatesEqual(m.exportState(), loaded.exportState());
            }
        }
    }

    @Test
    void aStateWithoutAdmissionIsRejectedNamingIt() {
        try (Model plain = Models.create(config(SparseOptimizer.ADAGRAD, AdmissionConfig.OFF), LAYOUT);
             Model admitted = Models.create(config(SparseOptimizer.ADAGRAD, new AdmissionConfig(2, 0)), LAYOUT)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> admitted.importState(plain.exportState()));
            assertTrue(e.getMessage().contains(RowAdmission.STATE), e.getMessage());
        }
    }

    @Test
    void badAdmissionSettingsNameTheSettingAndTheFix() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new AdmissionConfig(0, 0)).getMessage()
                .contains("admission-min-count must be in 1.."));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new AdmissionConfig(2, -1)).getMessage()
                .contains("expiry-examples must be >= 0"));
        assertFalse(AdmissionConfig.OFF.enabled());
    }

    /** Batches of 1 to 8 examples; field a draws ids 1..7 (3 of them often), field b its ids or missing. */
    static List<FeatureBatch> batches(Random random, int count) {
        List<FeatureBatch> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int size = 1 + random.nextInt(8);
            int[] rows = new int[2 * size];
            for (int e = 0; e < size; e++) {
                rows[2 * e] = random.nextBoolean() ? 1 + random.nextInt(3) : 1 + random.nextInt(ROWS - 1);
                rows[2 * e + 1] = MISSING_B + random.nextInt(ROWS);
            }
            out.add(FeatureBatch.ofRows(size, 2, rows));
        }
        return out;
    }

    private static float[] labels(int size) {
        float[] y = new float[size];
        for (int i = 0; i < size; i += 3) {
            y[i] = 1;
        }
        return y;
    }

    static void assertStatesEqual(ModelState expected, ModelState actual) {
        assertEquals(expected.step(), actual.step());
        assertEquals(expected.variables().size(), actual.variables().size());
        for (VariableValue v : expected.variables()) {
            assertArrayEquals(v.values(), actual.variable(v.name()).values(), "variable " + v.name());
        }
    }
}
