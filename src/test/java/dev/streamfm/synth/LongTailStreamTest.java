package dev.streamfm.synth;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The long-tail stream: an id space that keeps growing, most ids rare, reproducible, with true probabilities. */
class LongTailStreamTest {

    private static final SynthShape SHAPE = SynthShape.LONG_TAIL;
    private static final int EVENTS = 100_000;

    @Test
    void idsKeepComingAndMostAreSeenFewerThanTwentyTimes() {
        SyntheticGenerator g = new SyntheticGenerator(SHAPE, SynthConfig.defaults(SHAPE, 1));
        List<Map<String, Integer>> counts = new ArrayList<>();
        for (int f = 0; f < SHAPE.fields(); f++) {
            counts.add(new HashMap<>());
        }
        Set<String> seenBefore = new HashSet<>();
        int newInLastQuarter = 0;
        for (int i = 0; i < EVENTS; i++) {
            SyntheticExample e = g.example(i);
            for (int f = 0; f < SHAPE.fields(); f++) {
                String v = e.event().getCategorical().get("f" + f);
                counts.get(f).merge(v, 1, Integer::sum);
                boolean fresh = seenBefore.add(f + "/" + v);
                if (fresh && i >= EVENTS * 3 / 4) {
                    newInLastQuarter++;
                }
            }
        }
        for (Map<String, Integer> field : counts) {
            long rare = field.values().stream().filter(c -> c < 20).count();
            // fresh ids born at 1 per 20 events: 5000 per 100k, plus the head's
            assertTrue(field.size() > 7_000, "ids in a field: " + field.size());
            assertTrue(rare > 0.8 * field.size(), rare + " of " + field.size() + " ids seen fewer than 20 times");
        }
        // 25k events at 1 new id per 20 events and field: ~1250 per field, ~10k in all, plus first-seen head ids
        assertTrue(newInLastQuarter > 8 * 1_000, "ids first seen in the last quarter: " + newInLastQuarter);
    }

    @Test
    void freshIdsAreRandomAccessAndCarryTheirTrueProbability() {
        SyntheticGenerator g = new SyntheticGenerator(SHAPE, SynthConfig.defaults(SHAPE, 2));
        SyntheticExample late = g.example(250_000);
        assertEquals(late, new SyntheticGenerator(SHAPE, SynthConfig.defaults(SHAPE, 2)).example(250_000));
        assertTrue(late.trueProbability() > 0 && late.trueProbability() < 1);
        boolean anyFresh = false;
        for (int i = 250_000; i < 250_100; i++) {
            for (String v : g.example(i).event().getCategorical().values()) {
                assertTrue(v.matches("v\\d+|n\\d+"), v);
                if (v.startsWith("n")) {
                    // born at most liveIds ids before the newest at this index
                    long id = Long.parseLong(v.substring(1));
                    long newest = (long) (i * SHAPE.growth().birthsPerEvent());
                    assertTrue(id <= newest && id > newest - SHAPE.growth().liveIds(), v + " at event " + i);
                    anyFresh = true;
                }
            }
        }
        assertTrue(anyFresh);
    }

    @Test
    void meanTrueProbabilityIsTheBaseRate() {
        SyntheticGenerator g = new SyntheticGenerator(SHAPE, SynthConfig.defaults(SHAPE, 3));
        double p = 0;
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            p += g.example(100_000 + i).trueProbability();
        }
        assertEquals(0.25, p / n, 0.02);
    }
}
