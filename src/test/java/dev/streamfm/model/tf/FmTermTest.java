package dev.streamfm.model.tf;

import dev.streamfm.features.FeatureBatch;
import dev.streamfm.features.FeatureLayout;
import dev.streamfm.model.ModelType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The O(F*D) FM term equals the explicit pairwise sum over feature pairs i<j of
 * <v_i, v_j> x_i x_j (pairs across fields when fields have several slots). An FM model with its
 * fresh zero first-order weights and bias has exactly this term as its logit.
 */
class FmTermTest {

    private static final int DIM = 4;
    private static final int ROWS_PER_FIELD = 40;

    @Test
    void singleSlotFieldsMatchExplicitPairwiseSum() {
        checkAgainstPairwiseSum(Fixtures.singleSlot(6, ROWS_PER_FIELD));
    }

    @Test
    void pooledMultiSlotFieldsMatchPairwiseSumAcrossFields() {
        checkAgainstPairwiseSum(Fixtures.multiSlot(new int[] {2, 1, 3, 1}, ROWS_PER_FIELD));
    }

    private static void checkAgainstPairwiseSum(FeatureLayout layout) {
        Random random = new Random(11);
        try (TfModel model = new TfModel(Fixtures.config(ModelType.FM, DIM, List.of(), false, 0, 0, 0.1), layout)) {
            // positive embeddings, so no cancellation hides a wrong term behind float noise
            int rows = (int) layout.totalRows();
            float[] v = new float[rows * DIM];
            for (int i = 0; i < v.length; i++) {
                v[i] = 0.1f + 0.9f * random.nextFloat();
            }
            int[] all = new int[rows];
            for (int r = 0; r < rows; r++) {
                all[r] = r;
            }
            model.writeRows("embedding", all, v);

            int size = 32;
            FeatureBatch batch = Fixtures.batch(layout, size, random, true);
            float[] logits = model.probe(batch, new float[size]).logits();
            float[] probabilities = model.predict(batch);
            for (int b = 0; b < size; b++) {
                double expected = 0;
                for (int i = 0; i < layout.slots(); i++) {
                    for (int j = i + 1; j < layout.slots(); j++) {
                        if (layout.fieldOfSlot()[i] == layout.fieldOfSlot()[j]) {
                            continue;
                        }
                        int ri = batch.rows()[b * layout.slots() + i];
                        int rj = batch.rows()[b * layout.slots() + j];
                        double dot = 0;
                        for (int d = 0; d < DIM; d++) {
                            dot += (double) v[ri * DIM + d] * v[rj * DIM + d];
                        }
                        expected += dot * batch.values()[b * layout.slots() + i] * batch.values()[b * layout.slots() + j];
                    }
                }
                assertTrue(expected > 1, "test data should give a sizeable term, got " + expected);
                assertEquals(expected, logits[b], 1e-5 * expected, "FM term of example " + b);
                assertEquals(Fixtures.sigmoid(expected), probabilities[b], 1e-6, "probability of example " + b);
            }
        }
    }
}
