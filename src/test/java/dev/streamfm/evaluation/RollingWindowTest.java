package dev.streamfm.evaluation;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RollingWindowTest {

    @Test
    void equalsRecomputationOverTheLastN() {
        int capacity = 700;
        RollingWindow w = new RollingWindow(capacity);
        Random r = new Random(19);
        int n = 5000;
        float[] s = new float[n];
        byte[] y = new byte[n];
        for (int i = 0; i < n; i++) {
            y[i] = (byte) (r.nextDouble() < 0.25 ? 1 : 0);
            s[i] = Math.round((0.3f * y[i] + 0.7f * r.nextFloat()) * 50) / 50f; // ties included
            w.add(s[i], y[i]);
            if (i % 333 == 0 || i == n - 1) {
                int from = Math.max(0, i + 1 - capacity);
                float[] ws = Arrays.copyOfRange(s, from, i + 1);
                byte[] wy = Arrays.copyOfRange(y, from, i + 1);
                Metrics m = w.metrics();
                assertEquals(ws.length, m.examples());
                assertEquals(BruteForce.auc(ws, wy, 0, ws.length), m.auc(), 1e-12, "at " + i);
                assertEquals(BruteForce.logloss(ws, wy, 0, ws.length), m.logloss(), 1e-9, "at " + i);
                double sum = 0;
                int pos = 0;
                for (int k = 0; k < ws.length; k++) {
                    sum += ws[k];
                    pos += wy[k];
                }
                assertEquals(pos == 0 ? Double.NaN : sum / pos, m.calibration(), 1e-9, "at " + i);
            }
        }
        assertEquals(n, w.added());
        assertEquals(capacity, w.size());
    }

    @Test
    void batchAddAndCaching() {
        RollingWindow w = new RollingWindow(3);
        w.addAll(new float[] {0.9f, 0.1f, 0.8f, 0.2f}, new float[] {1f, 0f, 0f, 1f});
        // the window holds (0.1,0) (0.8,0) (0.2,1): the positive beats one of two negatives
        Metrics m = w.metrics();
        assertEquals(0.5, m.auc(), 1e-12);
        assertSame(m, w.metrics(), "unchanged window reuses its metrics");
        w.add(0.95f, 1);
        w.add(0.05f, 0);
        // now (0.2,1) (0.95,1) (0.05,0): both positives beat the only negative
        assertEquals(1.0, w.metrics().auc(), 1e-12);
    }

    @Test
    void rejectsBadLabelsAndCapacity() {
        RollingWindow w = new RollingWindow(2);
        assertThrows(IllegalArgumentException.class, () -> w.add(0.5f, 2));
        assertThrows(IllegalArgumentException.class, () -> w.addAll(new float[] {0.5f}, new float[] {0.5f}));
        assertThrows(IllegalArgumentException.class, () -> new RollingWindow(0));
    }
}
