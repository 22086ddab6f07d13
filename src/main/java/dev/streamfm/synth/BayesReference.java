package dev.streamfm.synth;

import dev.streamfm.evaluation.Metrics;

import java.util.Iterator;
import java.util.List;

/**
 * The Bayes-optimal reference of a synthetic stream: the metrics of the true click probabilities
 * against the drawn labels. No model can beat them in expectation, so a learner's gap to them is
 * what it has left to learn.
 */
public final class BayesReference {

    private BayesReference() {
    }

    /** Reference over events [from, to) of the generator's stream. */
    public static Metrics of(SyntheticGenerator generator, long from, long to) {
        return of(generator.examples(from, to), Math.toIntExact(to - from));
    }

    public static Metrics of(List<SyntheticExample> examples) {
        return of(examples.iterator(), examples.size());
    }

    private static Metrics of(Iterator<SyntheticExample> examples, int count) {
        float[] p = new float[count];
        byte[] y = new byte[count];
        for (int i = 0; i < count; i++) {
            SyntheticExample e = examples.next();
            p[i] = (float) e.trueProbability();
            y[i] = (byte) e.label();
        }
        return Metrics.of(p, y);
    }
}
