package dev.streamfm.model;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AnalysisCadenceTest {

    @Test
    void everyTenthStepIsAnalysedAndEveryTenthOfThoseInFull() {
        List<Long> full = new ArrayList<>();
        List<Long> conflicts = new ArrayList<>();
        for (long step = 0; step < 300; step++) {
            switch (AnalysisCadence.DEFAULTS.at(step)) {
                case FULL -> full.add(step);
                case CONFLICTS -> conflicts.add(step);
                case OFF -> assertTrue(step % 10 != 0, "step " + step + " should be analysed");
            }
        }
        assertEquals(List.of(0L, 100L, 200L), full);
        assertEquals(27, conflicts.size());
        assertTrue(conflicts.stream().allMatch(s -> s % 10 == 0 && s % 100 != 0));
    }

    @Test
    void offAnalysesNothingAndFullAnalysesEveryKthStepInFull() {
        for (long step = 0; step < 50; step++) {
            assertEquals(AnalysisLevel.OFF, AnalysisCadence.OFF.at(step));
            assertEquals(step % 3 == 0 ? AnalysisLevel.FULL : AnalysisLevel.OFF, AnalysisCadence.full(3).at(step));
        }
    }

    @Test
    void rejectsNegativeEveryAndLayersEveryBelowOne() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new AnalysisCadence(-1, 1))
                .getMessage().contains("0 = off"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new AnalysisCadence(10, 0))
                .getMessage().contains(">= 1"));
    }

    @Test
    void atLeastPicksTheDeeperLevel() {
        assertEquals(AnalysisLevel.CONFLICTS, AnalysisLevel.OFF.atLeast(AnalysisLevel.CONFLICTS));
        assertEquals(AnalysisLevel.FULL, AnalysisLevel.FULL.atLeast(AnalysisLevel.CONFLICTS));
    }
}
