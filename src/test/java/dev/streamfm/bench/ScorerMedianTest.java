package dev.streamfm.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ScorerMedianTest {

    private static ScorerCatchUp run(String guarantee, int repeat, double perSecond, double ratio) {
        CatchUp c = new CatchUp(100, 100, 1.0, 100 / perSecond, perSecond, true);
        return new ScorerCatchUp(guarantee, repeat, c, c, 0, ratio);
    }

    @Test
    void mediansAndRangesArePerGuaranteeInTheOrderTheyRan() {
        List<ScorerMedian> m = ScorerMedian.of(List.of(
                run("exactly_once_v2", 1, 12_000, 0.20), run("at_least_once", 1, 30_000, 0.40),
                run("exactly_once_v2", 2, 20_000, 0.31), run("at_least_once", 2, 20_000, 0.25),
                run("exactly_once_v2", 3, 15_000, 0.28)));
        assertEquals(List.of(new ScorerMedian("exactly_once_v2", 3, 15_000, 0.28, 0.20, 0.31),
                new ScorerMedian("at_least_once", 2, 25_000, 0.325, 0.25, 0.40)), m);
    }

    @Test
    void theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        assertEquals(2.5, ScorerMedian.median(new double[] {1, 2, 3, 10}));
        assertEquals(3.0, ScorerMedian.median(new double[] {1, 3, 10}));
    }
}
