package dev.streamfm.model;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The gate's rules, one at a time (README, "Model quality gate"). */
class QualityGateTest {

    private static final long MIN = 60_000;

    private static QualityGate.Quality q(long version, long minute, double auc, double logloss) {
        return new QualityGate.Quality(version, minute * MIN, auc, logloss, 10_000);
    }

    private static QualityGate gate() {
        return new QualityGate(QualityGate.Config.DEFAULTS);
    }

    @Test
    void theFirstMeasuredVersionIsAcceptedWithNothingToCompare() {
        QualityGate.Decision d = gate().judge(q(1, 0, 0.60, 0.50));
        assertTrue(d.accepted());
        assertEquals(QualityGate.NO_REFERENCE, d.reason());
    }

    @Test
    void aFallWithinTheMarginsIsAcceptedAndBeyondIsRejected() {
        QualityGate g = gate();
        g.judge(q(1, 0, 0.80, 0.40));
        QualityGate.Decision within = g.judge(q(2, 1, 0.785, 0.44));
        assertTrue(within.accepted(), within.describe());
        assertEquals(QualityGate.WITHIN_MARGIN, within.reason());
        QualityGate.Decision auc = g.judge(q(3, 2, 0.77, 0.41));
        assertFalse(auc.accepted());
        assertEquals(QualityGate.AUC_DROP, auc.reason());
        assertEquals(0.80, auc.bestAuc());
        QualityGate.Decision logloss = g.judge(q(4, 3, 0.80, 0.46));
        assertFalse(logloss.accepted());
        assertEquals(QualityGate.LOGLOSS_RISE, logloss.reason());
        assertEquals(0.40, logloss.bestLogloss());
    }

    @Test
    void theReferenceIsTheBestAcceptedVersionNotTheLastOne() {
        QualityGate g = gate();
        g.judge(q(1, 0, 0.80, 0.40));
        assertTrue(g.judge(q(2, 1, 0.785, 0.42)).accepted());
        // 0.015 below the last, but 0.03 below the best: a slow slide is caught too
        QualityGate.Decision d = g.judge(q(3, 2, 0.77, 0.42));
        assertEquals(QualityGate.AUC_DROP, d.reason());
        // a rejected version never becomes the reference
        assertEquals(QualityGate.AUC_DROP, g.judge(q(4, 3, 0.775, 0.42)).reason());
    }

    @Test
    void versionsOlderThanTheHistoryAreForgotten() {
        QualityGate g = new QualityGate(new QualityGate.Config(true, 0.02, 0.05, 10 * MIN, 1_000,
                java.util.OptionalLong.empty()));
        g.judge(q(1, 0, 0.80, 0.40));
        assertEquals(QualityGate.AUC_DROP, g.judge(q(2, 5, 0.70, 0.50)).reason());
        QualityGate.Decision later = g.judge(q(3, 11, 0.70, 0.50));
        assertTrue(later.accepted(), "a drop that outlasts the history is the new normal");
        assertEquals(QualityGate.NO_REFERENCE, later.reason());
    }

    @Test
    void tooFewExamplesAreNeitherJudgedNorAReference() {
        QualityGate g = gate();
        QualityGate.Decision few = g.judge(new QualityGate.Quality(1, 0, 0.95, 0.10, 100));
        assertTrue(few.accepted());
        assertEquals(QualityGate.UNMEASURED, few.reason());
        assertEquals(QualityGate.NO_REFERENCE, g.judge(q(2, 1, 0.70, 0.50)).reason(), "100 examples are no reference");
        assertEquals(QualityGate.UNMEASURED, g.judge(new QualityGate.Quality(3, 2, 0.50, 0.90, 100)).reason());
        assertEquals(QualityGate.UNMEASURED, g.judge(QualityGate.Quality.unmeasured(4, 3)).reason());
    }

    @Test
    void offAcceptsEverythingAndAPinHoldsBackEveryLaterVersion() {
        QualityGate off = new QualityGate(QualityGate.Config.OFF);
        off.judge(q(1, 0, 0.80, 0.40));
        assertEquals(QualityGate.GATE_OFF, off.judge(q(2, 1, 0.50, 0.90)).reason());

        QualityGate pinned = new QualityGate(QualityGate.Config.DEFAULTS.pinned(2));
        assertTrue(pinned.judge(q(1, 0, 0.80, 0.40)).accepted());
        assertTrue(pinned.judge(q(2, 1, 0.81, 0.40)).accepted());
        QualityGate.Decision later = pinned.judge(q(3, 2, 0.85, 0.30));
        assertFalse(later.accepted(), "even a better version");
        assertEquals(QualityGate.PINNED, later.reason());
        assertFalse(new QualityGate(QualityGate.Config.OFF.pinned(2)).judge(q(3, 2, 0.85, 0.30)).accepted(),
                "a pin holds with the gate off too");
    }
}
