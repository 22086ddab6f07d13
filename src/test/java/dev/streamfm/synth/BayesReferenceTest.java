package dev.streamfm.synth;

import dev.streamfm.evaluation.Metrics;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BayesReferenceTest {

    @Test
    void isTheAucAndLoglossOfTheTrueProbabilities() {
        SyntheticGenerator g = new SyntheticGenerator(SynthShape.FRAPPE_LIKE, SynthConfig.defaults(12));
        List<SyntheticExample> window = SyntheticGeneratorTest.take(g, 3000, 5000);
        double wins = 0;
        long pairs = 0;
        double loss = 0;
        for (SyntheticExample pos : window) {
            double p = (float) pos.trueProbability();
            loss -= pos.label() == 1 ? Math.log(p) : Math.log(1 - p);
            if (pos.label() != 1) {
                continue;
            }
            for (SyntheticExample neg : window) {
                if (neg.label() == 0) {
                    pairs++;
                    float a = (float) pos.trueProbability();
                    float b = (float) neg.trueProbability();
                    wins += a > b ? 1 : a == b ? 0.5 : 0;
                }
            }
        }
        Metrics bayes = BayesReference.of(g, 3000, 5000);
        assertEquals(wins / pairs, bayes.auc(), 1e-12);
        assertEquals(loss / window.size(), bayes.logloss(), 1e-9);
        assertEquals(bayes, BayesReference.of(window));
    }

    @Test
    void theDefaultTeacherLeavesSomethingToLearn() {
        Metrics bayes = BayesReference.of(new SyntheticGenerator(SynthShape.FRAPPE_LIKE, SynthConfig.defaults(1)),
                0, 20_000);
        assertTrue(bayes.auc() > 0.75 && bayes.auc() < 0.88, "Bayes AUC " + bayes.auc());
        assertTrue(bayes.positiveRate() > 0.2 && bayes.positiveRate() < 0.3, "base rate " + bayes.positiveRate());
    }
}
