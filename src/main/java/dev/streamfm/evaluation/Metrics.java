package dev.streamfm.evaluation;

/**
 * Quality of a set of scored examples.
 *
 * @param examples    number of examples
 * @param positives   number of label-1 examples
 * @param auc         exact ROC AUC; NaN without both classes
 * @param logloss     mean clipped log loss; NaN when empty
 * @param calibration mean prediction / mean label (1 is calibrated); NaN without positives
 */
public record Metrics(int examples, int positives, double auc, double logloss, double calibration) {

    public static final Metrics EMPTY = new Metrics(0, 0, Double.NaN, Double.NaN, Double.NaN);

    /** Metrics of examples [from, to). */
    public static Metrics of(float[] scores, byte[] labels, int from, int to) {
        if (to < from || from < 0 || to > scores.length || to > labels.length) {
            throw new IndexOutOfBoundsException("range [" + from + ", " + to + ") outside " + scores.length
                    + " scores and " + labels.length + " labels");
        }
        int positives = 0;
        double scoreSum = 0;
        for (int i = from; i < to; i++) {
            positives += labels[i];
            scoreSum += scores[i];
        }
        double calibration = positives == 0 ? Double.NaN : scoreSum / positives;
        return new Metrics(to - from, positives, Auc.of(scores, labels, from, to),
                LogLoss.of(scores, labels, from, to), calibration);
    }

    public static Metrics of(float[] scores, byte[] labels) {
        if (scores.length != labels.length) {
            throw new IllegalArgumentException(scores.length + " scores but " + labels.length + " labels");
        }
        return of(scores, labels, 0, scores.length);
    }

    /** Fraction of positives. */
    public double positiveRate() {
        return examples == 0 ? Double.NaN : (double) positives / examples;
    }
}
