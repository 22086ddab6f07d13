package dev.streamfm.model.tf;

import dev.streamfm.features.FeatureBatch;
import dev.streamfm.features.FeatureLayout;
import dev.streamfm.model.AnalysisCadence;
import dev.streamfm.model.AnalysisLevel;
import dev.streamfm.model.ModelType;
import dev.streamfm.model.TrainResult;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A training step validates progressively: its predictions are exactly what predict() returned
 * before the update (inference forward: moving BN statistics, no dropout), its loss is the
 * training forward's, and bad input fails with a message naming the problem.
 */
class TrainStepTest {

    private final FeatureLayout layout = Fixtures.multiSlot(new int[] {1, 2, 1}, 20);

    @Test
    void predictionsComeFromTheInferenceForwardBeforeTheUpdate() {
        Random random = new Random(12);
        try (TfModel model = new TfModel(Fixtures.config(ModelType.DEEPFM, 3, List.of(6, 4), true, 0.4, 0, 0.1), layout)) {
            for (int i = 0; i < 4; i++) {
                FeatureBatch batch = Fixtures.batch(layout, 16, random, true);
                float[] labels = Fixtures.labels(16, random);
                float[] before = model.predict(batch);
                assertArrayEquals(before, model.predict(batch), "predict does not change the model");
                double trainingLoss = model.probe(batch, labels).loss();
                TrainResult result = model.trainStep(batch, labels, new AnalysisCadence(2, 2).at(i));
                assertArrayEquals(before, result.predictions(), "step " + i);
                assertEquals(trainingLoss, result.loss(), 0.0, "loss of the training forward (dropout, batch statistics)");
                assertEquals(i + 1, model.step());
                assertFalse(java.util.Arrays.equals(before, model.predict(batch)), "the step changed the model");
            }
        }
    }

    @Test
    void badInputIsRejectedWithItsReason() {
        try (TfModel model = new TfModel(Fixtures.config(ModelType.FM, 2, List.of(), false, 0, 0, 0.1), layout)) {
            FeatureBatch good = Fixtures.batch(layout, 4, new Random(1), false);
            assertMessage("3 slots per example", () -> model.predict(FeatureBatch.ofRows(1, 3, new int[] {0, 20, 40})));
            int[] rows = good.rows().clone();
            rows[2] = 80;
            assertMessage("row 80 is outside", () -> model.predict(FeatureBatch.ofRows(4, 4, rows)));
            assertMessage("4 examples but 3 labels", () -> model.trainStep(good, new float[3]));
            assertMessage("empty batch", () -> model.trainStep(FeatureBatch.ofRows(0, 4, new int[0]), new float[0]));
            assertEquals(0, model.predict(FeatureBatch.ofRows(0, 4, new int[0])).length);
            assertMessage("no variable nope", () -> model.readRows("nope", new int[] {0}));
            assertMessage("appears twice", () -> model.writeRows("embedding", new int[] {1, 1}, new float[4]));
            assertEquals(0, model.step(), "nothing was trained");
        }
    }

    private static void assertMessage(String fragment, Runnable action) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action::run);
        assertTrue(e.getMessage().contains(fragment), "'" + e.getMessage() + "' lacks '" + fragment + "'");
    }
}
