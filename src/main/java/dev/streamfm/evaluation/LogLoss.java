package dev.streamfm.evaluation;

/**
 * Mean binary cross-entropy. Probabilities are clipped to [EPSILON, 1 - EPSILON] so that one
 * confident mistake costs a large but finite amount instead of turning the mean infinite.
 */
public final class LogLoss {

    /** The float sigmoid reaches exactly 0 or 1 well before a double would, hence a float-sized bound. */
    public static final double EPSILON = 1e-7;

    private LogLoss() {
    }

    /** Loss of one example. */
    public static double of(double probability, int label) {
        double p = Math.min(Math.max(probability, EPSILON), 1 - EPSILON);
        return label != 0 ? -Math.log(p) : -Math.log1p(-p);
    }

    /** Mean loss of examples [from, to); NaN for an empty range. */
    public static double of(float[] scores, byte[] labels, int from, int to) {
        if (to <= from) {
            return Double.NaN;
        }
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += of(scores[i], labels[i]);
        }
        return sum / (to - from);
    }
}
