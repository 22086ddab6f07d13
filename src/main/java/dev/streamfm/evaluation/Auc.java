package dev.streamfm.evaluation;

import java.util.Arrays;

/**
 * Exact area under the ROC curve: the probability that a random positive scores above a random
 * negative, ties counting one half (the average-rank convention). Sorting positives and negatives
 * separately and merging them costs O(n log n) and counts tied pairs exactly.
 */
public final class Auc {

    private Auc() {
    }

    /** AUC of examples [from, to); NaN when that range holds no positive or no negative. */
    public static double of(float[] scores, byte[] labels, int from, int to) {
        int positives = 0;
        for (int i = from; i < to; i++) {
            positives += labels[i];
        }
        int negatives = (to - from) - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        float[] pos = new float[positives];
        float[] neg = new float[negatives];
        int p = 0;
        int n = 0;
        for (int i = from; i < to; i++) {
            if (labels[i] != 0) {
                pos[p++] = scores[i];
            } else {
                neg[n++] = scores[i];
            }
        }
        Arrays.sort(pos);
        Arrays.sort(neg);
        // twice the number of (positive above negative) pairs, so that a tie adds exactly 1
        long doubledWins = 0;
        int below = 0;
        int notAbove = 0;
        for (float score : pos) {
            while (below < negatives && Float.compare(neg[below], score) < 0) {
                below++;
            }
            if (notAbove < below) {
                notAbove = below;
            }
            while (notAbove < negatives && Float.compare(neg[notAbove], score) <= 0) {
                notAbove++;
            }
            doubledWins += (long) below + notAbove;
        }
        return doubledWins / (2.0 * positives * negatives);
    }

    public static double of(float[] scores, byte[] labels) {
        return of(scores, labels, 0, scores.length);
    }
}
