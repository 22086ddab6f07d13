package dev.streamfm.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LatencySamplesTest {

    @Test
    void percentilesAreNearestRankOverEverySample() {
        LatencySamples s = new LatencySamples();
        for (int i = 100; i >= 1; i--) {
            s.add(i);
        }
        s.add(-5); // a consumer clock behind the producer's counts as 0
        assertEquals(101, s.size());
        assertEquals(50, s.percentile(50));
        assertEquals(99, s.percentile(99));
        assertEquals(0, s.percentile(0.5));
    }

    @Test
    void noSamplesHaveNoPercentile() {
        assertTrue(Double.isNaN(new LatencySamples().percentile(99)));
    }
}
