package dev.streamfm.evaluation;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricsTest {

    @Test
    void loglossFollowsTheFormula() {
        assertEquals(-Math.log(0.8), LogLoss.of(0.8, 1), 1e-15);
        assertEquals(-Math.log(0.2), LogLoss.of(0.8, 0), 1e-12);
        // clipped: a certain mistake costs -ln(1e-7), not infinity
        assertEquals(-Math.log(1e-7), LogLoss.of(0.0, 1), 1e-9);
        assertEquals(-Math.log(1e-7), LogLoss.of(1.0, 0), 1e-6);

        Random r = new Random(3);
        float[] s = new float[1000];
        byte[] y = new byte[1000];
        for (int i = 0; i < s.length; i++) {
            s[i] = i % 97 == 0 ? (i % 2 == 0 ? 0f : 1f) : r.nextFloat();
            y[i] = (byte) r.nextInt(2);
        }
        assertEquals(BruteForce.logloss(s, y, 100, 900), LogLoss.of(s, y, 100, 900), 1e-12);
    }

    @Test
    void metricsCombineAucLoglossAndCalibration() {
        float[] s = {0.1f, 0.4f, 0.35f, 0.8f, 0.5f};
        byte[] y = {0, 0, 1, 1, 1};
        Metrics m = Metrics.of(s, y);
        assertEquals(5, m.examples());
        assertEquals(3, m.positives());
        assertEquals(BruteForce.auc(s, y, 0, 5), m.auc(), 1e-12);
        assertEquals(BruteForce.logloss(s, y, 0, 5), m.logloss(), 1e-12);
        // mean prediction / mean label = (sum of scores / 5) / (3 / 5)
        assertEquals((0.1 + 0.4 + 0.35 + 0.8 + 0.5) / 3, m.calibration(), 1e-6);
        assertEquals(0.6, m.positiveRate(), 1e-12);
    }

    @Test
    void emptyAndMismatchedInputs() {
        Metrics empty = Metrics.of(new float[0], new byte[0]);
        assertEquals(0, empty.examples());
        assertTrue(Double.isNaN(empty.auc()) && Double.isNaN(empty.logloss()) && Double.isNaN(empty.calibration()));
        assertThrows(IllegalArgumentException.class, () -> Metrics.of(new float[2], new byte[3]));
        assertThrows(IndexOutOfBoundsException.class, () -> Metrics.of(new float[2], new byte[2], 1, 3));
    }
}
