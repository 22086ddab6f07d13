package dev.streamfm.model.tf;

import dev.streamfm.features.FeatureBatch;
import dev.streamfm.features.FeatureLayout;
import dev.streamfm.model.AnalysisCadence;
import dev.streamfm.model.AnalysisLevel;
import dev.streamfm.model.Model;
import dev.streamfm.model.ModelConfig;
import dev.streamfm.model.ModelState;
import dev.streamfm.model.ModelType;
import dev.streamfm.model.Models;
import dev.streamfm.model.SparseOptimizer;
import dev.streamfm.model.TrainResult;
import dev.streamfm.model.VariableValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An exported state imported into a fresh model of any variant reproduces it exactly: the same predictions bit
 * for bit, and after ten more identical steps (dropout and batch norm on, so the step-seeded RNG
 * and the moving statistics are exercised) every variable and slot is bitwise equal.
 */
class ExportImportTest {

    private static final int SIZE = 16;
    private final FeatureLayout layout = Fixtures.multiSlot(new int[] {1, 2, 1, 1}, 30);
    private final ModelConfig config = Fixtures.config(ModelType.DEEPFM, 3, List.of(8, 4), true, 0.3, 0.01, 0.1);

    @ParameterizedTest
    @EnumSource(ModelType.class)
    void importedModelPredictsAndTrainsBitwiseIdentically(ModelType type) {
        exportImportReplay(config.toBuilder().type(type).cinLayers(List.of(6, 4)).build());
    }

    /** FTRL's z and n slots travel with the state too: without them the replay would diverge. */
    @Test
    void importedFtrlModelPredictsAndTrainsBitwiseIdentically() {
        exportImportReplay(Fixtures.withOptimizer(config, SparseOptimizer.FTRL, 0.001));
    }

    private void exportImportReplay(ModelConfig config) {
        Random random = new Random(9);
        try (Model original = Models.create(config, layout); Model copy = Models.create(config, layout)) {
            for (int i = 0; i < 5; i++) {
                original.trainStep(Fixtures.batch(layout, SIZE, random, true), Fixtures.labels(SIZE, random),
                        i == 2 ? AnalysisLevel.FULL : AnalysisLevel.OFF);
            }
            FeatureBatch probe = Fixtures.batch(layout, 64, random, true);
            assertFalse(Arrays.equals(original.predict(probe), copy.predict(probe)),
                    "a trained model should differ from a fresh one, or the import proves nothing");

            copy.importState(original.exportState());
            assertEquals(original.step(), copy.step());
            assertArrayEquals(original.predict(probe), copy.predict(probe));

            for (int i = 0; i < 10; i++) {
                FeatureBatch batch = Fixtures.batch(layout, SIZE, random, true);
                float[] labels = Fixtures.labels(SIZE, random);
                TrainResult a = original.trainStep(batch, labels, new AnalysisCadence(3, 2).at(i));
                TrainResult b = copy.trainStep(batch, labels, new AnalysisCadence(3, 2).at(i));
                assertEquals(a.loss(), b.loss(), 0.0, "loss of step " + i);
                assertArrayEquals(a.predictions(), b.predictions(), "predictions of step " + i);
            }
            ModelState x = original.exportState();
            ModelState y = copy.exportState();
            assertEquals(x.step(), y.step());
            assertEquals(x.variables().size(), y.variables().size());
            for (VariableValue v : x.variables()) {
                assertArrayEquals(v.values(), y.variable(v.name()).values(), v.name() + " differs after replay");
            }
            assertArrayEquals(original.predict(probe), copy.predict(probe));
        }
    }

    @Test
    void dropoutMasksDependOnTheStep() {
        Random random = new Random(10);
        FeatureBatch batch = Fixtures.batch(layout, SIZE, random, true);
        float[] labels = Fixtures.labels(SIZE, random);
        try (TfModel model = new TfModel(config, layout)) {
            double atZero = model.probe(batch, labels).loss();
            assertEquals(atZero, model.probe(batch, labels).loss(), 0.0, "the same step draws the same mask");
            model.setStep(1);
            assertTrue(atZero != model.probe(batch, labels).loss(), "another step should draw another mask");
        }
    }

    @Test
    void stateOfAnotherLayoutIsRejectedNamingTheVariable() {
        FeatureLayout other = Fixtures.multiSlot(new int[] {1, 2, 1, 1}, 31);
        try (Model a = Models.create(config, other); Model b = Models.create(config, layout)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.importState(a.exportState()));
            assertTrue(e.getMessage().contains("embedding"), e.getMessage());
        }
        try (Model b = Models.create(config, layout)) {
            ModelState state = b.exportState();
            List<VariableValue> missing = new ArrayList<>(state.variables());
            missing.removeIf(v -> v.name().equals("output_b.adam_v"));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> b.importState(new ModelState(3, missing)));
            assertTrue(e.getMessage().contains("output_b.adam_v"), e.getMessage());
            assertEquals(0, b.step(), "a rejected import leaves the step alone");
        }
    }
}
