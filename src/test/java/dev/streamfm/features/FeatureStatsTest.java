package dev.streamfm.features;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FeatureStatsTest {

    @Test
    void unknownNamesAreCappedSoMetricLabelsStayFew() {
        FeatureStats stats = new FeatureStats();
        for (int i = 0; i < FeatureStats.MAX_UNKNOWN_NAMES + 50; i++) {
            stats.unknownField("u" + i);
        }
        stats.unknownField("u0");
        Map<String, Long> counts = stats.unknownFieldCounts();
        assertEquals(FeatureStats.MAX_UNKNOWN_NAMES + 1, counts.size());
        assertEquals(2L, counts.get("u0"));
        assertEquals(50L, counts.get(FeatureStats.OTHER));
    }

    @Test
    void countsFromManyThreadsAddUp() throws InterruptedException {
        FeatureStats stats = new FeatureStats();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 10_000; i++) {
                    stats.missingField("f" + (i % 3));
                    stats.truncatedField("t");
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertEquals(Map.of("f0", 13_336L, "f1", 13_332L, "f2", 13_332L), stats.missingFieldCounts());
        assertEquals(Map.of("t", 40_000L), stats.truncatedFieldCounts());
    }
}
