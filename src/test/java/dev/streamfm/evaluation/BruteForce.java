package dev.streamfm.evaluation;

/** Independent, slow reference computations for the metric tests. */
public final class BruteForce {

    private BruteForce() {
    }

    /** AUC by counting every (positive, negative) pair: a win counts 1, a tie 1/2. */
    public static double auc(float[] s, byte[] y, int from, int to) {
        double wins = 0;
        long pairs = 0;
        for (int i = from; i < to; i++) {
            if (y[i] != 1) {
                continue;
            }
            for (int j = from; j < to; j++) {
                if (y[j] != 0) {
                    continue;
                }
                pairs++;
                if (s[i] > s[j]) {
                    wins += 1;
                } else if (s[i] == s[j]) {
                    wins += 0.5;
                }
            }
        }
        return pairs == 0 ? Double.NaN : wins / pairs;
    }

    static double logloss(float[] s, byte[] y, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            double p = Math.min(Math.max(s[i], 1e-7), 1 - 1e-7);
            sum += -(y[i] * Math.log(p) + (1 - y[i]) * Math.log(1 - p));
        }
        return sum / (to - from);
    }
}
