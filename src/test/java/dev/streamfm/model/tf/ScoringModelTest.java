package dev.streamfm.model.tf;

import dev.streamfm.features.FeatureBatch;
import dev.streamfm.features.FeatureLayout;
import dev.streamfm.model.Model;
import dev.streamfm.model.ModelConfig;
import dev.streamfm.model.ModelState;
import dev.streamfm.model.ModelType;
import dev.streamfm.model.ModelUse;
import dev.streamfm.model.Models;
import dev.streamfm.model.SparseOptimizer;
import dev.streamfm.model.VariableInfo;
import dev.streamfm.model.VariableValue;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A model created for scoring: no memory for optimizer slots, the same predictions as the trainer's. */
class ScoringModelTest {

    private static final FeatureLayout LAYOUT = Fixtures.singleSlot(4, 50);
    private static final double L1 = 0.001;
    private static final ModelConfig FTRL = Fixtures.withOptimizer(
            Fixtures.config(ModelType.DEEPFM, 4, List.of(8, 4), false, 0.0, 0.01, 0.1), SparseOptimizer.FTRL, L1);

    @Test
    void predictsBitForBitAsTheTrainingModelWhoseStateItImports() {
        Random random = new Random(3);
        try (Model trainer = Models.create(FTRL, LAYOUT); Model scorer = Models.create(FTRL, LAYOUT, ModelUse.SCORING)) {
            for (int s = 0; s < 5; s++) {
                FeatureBatch b = Fixtures.batch(LAYOUT, 32, random, false);
                trainer.trainStep(b, Fixtures.labels(32, random));
            }
            scorer.importState(trainer.exportState());
            for (int s = 0; s < 3; s++) {
                FeatureBatch b = Fixtures.batch(LAYOUT, 64, random, false);
                assertArrayEquals(trainer.predict(b), scorer.predict(b));
            }
        }
    }

    /** Reading a slot fails because it was never given a value, while every other variable reads. */
    @Test
    void itsOptimizerSlotsHoldNoValue() {
        try (Model scorer = Models.create(FTRL, LAYOUT, ModelUse.SCORING)) {
            List<VariableInfo> slots = scorer.variables().stream().filter(VariableInfo::optimizerSlot).toList();
            assertTrue(slots.size() >= 4, "FTRL's n and z per table, Adam's m and v per dense variable: " + slots);
            for (VariableInfo v : scorer.variables()) {
                int[] rows = {0};
                if (v.optimizerSlot()) {
                    RuntimeException e = assertThrows(RuntimeException.class, () -> scorer.readRows(v.name(), rows),
                            v.name());
                    assertTrue(String.valueOf(e.getMessage()).contains("uninitialized")
                            || String.valueOf(e.getMessage()).contains("not initialized")
                            || String.valueOf(e.getMessage()).contains("does not exist"), v.name() + ": " + e);
                } else {
                    assertEquals(v.shape().length == 0 ? 1 : v.elements() / v.shape()[0],
                            scorer.readRows(v.name(), rows).length, v.name());
                }
            }
        }
    }

    @Test
    void refusesWhatNeedsOptimizerState() {
        Random random = new Random(5);
        try (Model scorer = Models.create(FTRL, LAYOUT, ModelUse.SCORING)) {
            FeatureBatch b = Fixtures.batch(LAYOUT, 8, random, false);
            IllegalStateException train = assertThrows(IllegalStateException.class,
                    () -> scorer.trainStep(b, Fixtures.labels(8, random)));
            assertTrue(train.getMessage().contains("create it for TRAINING"), train.getMessage());
            assertThrows(IllegalStateException.class, scorer::exportState);
            assertThrows(IllegalStateException.class, () -> scorer.resetRows(new int[] {1}));
        }
    }

    /**
     * A training model's slots are initialised by a run of their own, after the other variables:
     * FTRL's z must still be derived from the very weights the table starts with, so that the
     * FTRL weight w(z, n) = (sign(z) l1 - z) / (sqrt(n) / lr) is the initial weight again.
     */
    @Test
    void aTrainingModelsFtrlStateStartsFromItsInitialWeights() {
        try (Model trainer = Models.create(FTRL, LAYOUT)) {
            ModelState state = trainer.exportState();
            float[] w0 = state.variable("embedding").values();
            float[] n = state.variable("embedding.ftrl_n").values();
            float[] z = state.variable("embedding.ftrl_z").values();
            double lr = FTRL.embeddingLr();
            for (int i = 0; i < w0.length; i++) {
                assertEquals(FTRL.initAccumulator(), n[i], 1e-7, "n[" + i + "]");
                double w = Math.abs(z[i]) <= L1 ? 0 : (Math.signum(z[i]) * L1 - z[i]) / (Math.sqrt(n[i]) / lr);
                assertEquals(w0[i], w, 1e-6, "weight from z and n at " + i);
            }
            VariableValue adamM = state.variables().stream().filter(v -> v.name().endsWith(".adam_m")).findFirst()
                    .orElseThrow();
            for (float m : adamM.values()) {
                assertEquals(0f, m);
            }
        }
    }
}
