package dev.streamfm.evaluation;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AucTest {

    @Test
    void equalsPairwiseCountOnRandomDataWithManyTies() {
        Random r = new Random(11);
        for (int trial = 0; trial < 20; trial++) {
            int n = 50 + r.nextInt(1500);
            int levels = 1 + r.nextInt(30); // few distinct scores, so most pairs are tied
            float[] s = new float[n];
            byte[] y = new byte[n];
            for (int i = 0; i < n; i++) {
                s[i] = r.nextInt(levels) / (float) levels;
                y[i] = (byte) (r.nextDouble() < 0.2 + 0.6 * s[i] ? 1 : 0);
            }
            int from = r.nextInt(n / 4);
            int to = n - r.nextInt(n / 4);
            assertEquals(BruteForce.auc(s, y, from, to), Auc.of(s, y, from, to), 1e-12, "trial " + trial);
        }
    }

    @Test
    void equalsPairwiseCountWithContinuousScores() {
        Random r = new Random(5);
        float[] s = new float[2000];
        byte[] y = new byte[2000];
        for (int i = 0; i < s.length; i++) {
            y[i] = (byte) (r.nextDouble() < 0.3 ? 1 : 0);
            s[i] = (float) (r.nextGaussian() + y[i]);
        }
        double auc = Auc.of(s, y);
        assertEquals(BruteForce.auc(s, y, 0, s.length), auc, 1e-12);
        assertTrue(auc > 0.7, "scores shifted by the label must rank positives higher");
    }

    @Test
    void knownCases() {
        byte[] y = {0, 0, 1, 1};
        assertEquals(1.0, Auc.of(new float[] {0.1f, 0.2f, 0.3f, 0.4f}, y));
        assertEquals(0.0, Auc.of(new float[] {0.4f, 0.3f, 0.2f, 0.1f}, y));
        assertEquals(0.5, Auc.of(new float[] {0.5f, 0.5f, 0.5f, 0.5f}, y));
        // one positive tied with one of two negatives, above the other: (1 + 0.5) / 2
        assertEquals(0.75, Auc.of(new float[] {0.2f, 0.5f, 0.5f}, new byte[] {0, 0, 1}));
    }

    @Test
    void undefinedWithoutBothClasses() {
        assertTrue(Double.isNaN(Auc.of(new float[] {0.1f, 0.9f}, new byte[] {1, 1})));
        assertTrue(Double.isNaN(Auc.of(new float[] {0.1f, 0.9f}, new byte[] {0, 0})));
        assertTrue(Double.isNaN(Auc.of(new float[0], new byte[0])));
    }
}
