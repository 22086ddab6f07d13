package dev.streamfm.synth;

import dev.streamfm.schema.ClickEvent;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SyntheticGeneratorTest {

    private static final SynthShape SHAPE = SynthShape.FRAPPE_LIKE;

    @Test
    void sameSeedGivesTheSameStreamAndOtherSeedsDiffer() {
        List<SyntheticExample> a = take(new SyntheticGenerator(SHAPE, SynthConfig.defaults(5)), 0, 500);
        List<SyntheticExample> b = take(new SyntheticGenerator(SHAPE, SynthConfig.defaults(5)), 0, 500);
        List<SyntheticExample> c = take(new SyntheticGenerator(SHAPE, SynthConfig.defaults(6)), 0, 500);
        assertEquals(a, b);
        long sameFeatures = 0;
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i).event().getCategorical().equals(c.get(i).event().getCategorical())) {
                sameFeatures++;
            }
        }
        assertTrue(sameFeatures < 10, "another seed must give another stream, " + sameFeatures + " equal events");
    }

    @Test
    void randomAccessEqualsTheSequentialStream() {
        SyntheticGenerator g = new SyntheticGenerator(SHAPE, SynthConfig.defaults(1));
        List<SyntheticExample> window = take(g, 1000, 1100);
        for (int i = 0; i < window.size(); i++) {
            assertEquals(g.example(1000 + i), window.get(i));
        }
    }

    @Test
    void eventsCarryFieldsAndValuesButNoLabel() {
        SyntheticGenerator g = new SyntheticGenerator(SHAPE, SynthConfig.defaults(2));
        SyntheticExample e = g.example(42);
        ClickEvent event = e.event();
        assertNull(event.getLabel(), "the label travels separately");
        assertEquals(g.fieldNames(), List.of("f0", "f1", "f2", "f3", "f4", "f5", "f6", "f7", "f8", "f9"));
        assertEquals(SHAPE.fields(), event.getCategorical().size());
        for (String field : g.fieldNames()) {
            String v = event.getCategorical().get(field);
            assertTrue(v.matches("v\\d+"), v);
            assertTrue(Integer.parseInt(v.substring(1)) < SHAPE.idsPerField());
        }
        assertEquals("s2-42", event.getEventId());
        assertEquals(SynthConfig.DEFAULT_START.plusMillis(42), event.getEventTime());
        assertTrue(e.label() == 0 || e.label() == 1);
        assertTrue(e.trueProbability() > 0 && e.trueProbability() < 1);
        assertEquals(e.trueProbability(), e.knownProbability().orElseThrow());
    }

    @Test
    void valueFrequenciesFollowZipf() {
        SyntheticGenerator g = new SyntheticGenerator(SHAPE, SynthConfig.defaults(3));
        int n = 40_000;
        int[][] counts = new int[SHAPE.fields()][SHAPE.idsPerField()];
        for (int i = 0; i < n; i++) {
            g.example(i).event().getCategorical().forEach((f, v) ->
                    counts[Integer.parseInt(f.substring(1))][Integer.parseInt(v.substring(1))]++);
        }
        // independent expectation: P(rank r) = (r+1)^-1.1 / sum over 600 ranks
        double norm = 0;
        for (int r = 1; r <= SHAPE.idsPerField(); r++) {
            norm += Math.pow(r, -1.1);
        }
        for (int rank : new int[] {0, 1, 9, 99}) {
            double expected = Math.pow(rank + 1, -1.1) / norm;
            long total = 0;
            for (int[] field : counts) {
                total += field[rank];
            }
            double observed = total / (double) (n * SHAPE.fields());
            double se = Math.sqrt(expected * (1 - expected) / (n * SHAPE.fields()));
            assertEquals(expected, observed, 5 * se, "rank " + rank);
        }
        assertEquals(Math.pow(1, -1.1) / norm, g.valueDistribution().probability(0), 1e-12);
    }

    @Test
    void baseRateIsTheConfiguredMean() {
        for (double rate : new double[] {0.05, 0.25}) {
            SyntheticGenerator g = new SyntheticGenerator(SHAPE, SynthConfig.defaults(4).withBaseRate(rate));
            double p = 0;
            double y = 0;
            int n = 20_000;
            for (int i = 0; i < n; i++) {
                SyntheticExample e = g.example(i);
                p += e.trueProbability();
                y += e.label();
            }
            assertEquals(rate, p / n, 0.1 * rate, "mean true probability");
            assertEquals(p / n, y / n, 4 * Math.sqrt(rate / n), "labels are drawn from the probabilities");
        }
    }

    @Test
    void abruptDriftChangesTheTeacherAtTheShiftOnly() {
        SynthConfig base = SynthConfig.defaults(8);
        SyntheticGenerator still = new SyntheticGenerator(SHAPE, base);
        SyntheticGenerator shifted = new SyntheticGenerator(SHAPE, base.withDrift(Drift.abrupt(1000)));
        for (long i : new long[] {0, 500, 999}) {
            assertEquals(still.example(i), shifted.example(i));
        }
        int changed = 0;
        for (long i = 1000; i < 1100; i++) {
            assertEquals(still.example(i).event().getCategorical(), shifted.example(i).event().getCategorical(),
                    "drift moves the teacher, not the value distribution");
            if (Math.abs(still.example(i).trueProbability() - shifted.example(i).trueProbability()) > 1e-3) {
                changed++;
            }
        }
        assertTrue(changed > 90, "after the shift the probabilities come from another teacher: " + changed);
    }

    @Test
    void gradualDriftMovesSlowlyAndKeepsTheBaseRate() {
        SynthConfig base = SynthConfig.defaults(9);
        SyntheticGenerator still = new SyntheticGenerator(SHAPE, base);
        SyntheticGenerator drifting = new SyntheticGenerator(SHAPE, base.withDrift(Drift.gradual(100_000)));
        assertEquals(still.example(0), drifting.example(0));
        double early = meanAbsDifference(still, drifting, 1_000);
        double late = meanAbsDifference(still, drifting, 90_000);
        assertTrue(early < 0.01 && late > 5 * early, "early " + early + ", late " + late);
        double rate = 0;
        for (int i = 0; i < 5_000; i++) {
            rate += drifting.example(100_000 + i).trueProbability();
        }
        assertEquals(base.baseRate(), rate / 5_000, 0.05);
    }

    @Test
    void driftParsing() {
        assertEquals(Drift.NONE, Drift.parse("none", 10));
        assertEquals(Drift.gradual(1000), Drift.parse("gradual", 1000));
        assertEquals(Drift.abrupt(500), Drift.parse("Abrupt", 1000));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Drift.parse("sideways", 1));
        assertTrue(e.getMessage().contains("none, gradual or abrupt"));
        assertNotEquals(0.0, Drift.gradual(10).angle(5));
    }

    private static double meanAbsDifference(SyntheticGenerator a, SyntheticGenerator b, long from) {
        double sum = 0;
        for (long i = from; i < from + 500; i++) {
            sum += Math.abs(a.example(i).trueProbability() - b.example(i).trueProbability());
        }
        return sum / 500;
    }

    static List<SyntheticExample> take(SyntheticGenerator g, long from, long to) {
        List<SyntheticExample> out = new ArrayList<>();
        for (Iterator<SyntheticExample> it = g.examples(from, to); it.hasNext(); ) {
            out.add(it.next());
        }
        return out;
    }
}
