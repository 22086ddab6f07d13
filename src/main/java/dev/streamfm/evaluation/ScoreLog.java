package dev.streamfm.evaluation;

import java.util.Arrays;
import java.util.Optional;

/**
 * Every prediction of one evaluation pass by position, with its label and, when the source
 * knew it, the true probability, so that any window ("the last 100k") can be measured after the
 * pass. Five bytes per example, nine with true probabilities. Written by one evaluator, read-only
 * to everyone else.
 */
public final class ScoreLog {

    private float[] scores = new float[1024];
    private byte[] labels = new byte[1024];
    private float[] reference = new float[1024];
    private int size;
    private boolean referenceComplete = true;

    void add(float score, byte label, double trueProbability) {
        if (size == scores.length) {
            int grown = Math.max(size + 1, (int) Math.min(Integer.MAX_VALUE - 8, 2L * size));
            scores = Arrays.copyOf(scores, grown);
            labels = Arrays.copyOf(labels, grown);
            if (referenceComplete) {
                reference = Arrays.copyOf(reference, grown);
            }
        }
        scores[size] = score;
        labels[size] = label;
        if (referenceComplete && Double.isNaN(trueProbability)) {
            referenceComplete = false;
            reference = null;
        } else if (referenceComplete) {
            reference[size] = (float) trueProbability;
        }
        size++;
    }

    public int size() {
        return size;
    }

    /** The prediction at a position. */
    public float score(int position) {
        check(position, position + 1);
        return scores[position];
    }

    public int label(int position) {
        check(position, position + 1);
        return labels[position];
    }

    /** Metrics of the predictions at positions [from, to). */
    public Metrics metrics(int from, int to) {
        check(from, to);
        return Metrics.of(scores, labels, from, to);
    }

    /** Metrics of the predictions at the last {@code n} positions (all of them when fewer). */
    public Metrics last(int n) {
        return metrics(Math.max(0, size - n), size);
    }

    public Metrics all() {
        return metrics(0, size);
    }

    /** The Bayes-optimal reference over [from, to): present when every example came with its true probability. */
    public Optional<Metrics> reference(int from, int to) {
        check(from, to);
        return referenceComplete && size > 0 ? Optional.of(Metrics.of(reference, labels, from, to)) : Optional.empty();
    }

    public Optional<Metrics> referenceLast(int n) {
        return reference(Math.max(0, size - n), size);
    }

    private void check(int from, int to) {
        if (from < 0 || to > size || from > to) {
            throw new IndexOutOfBoundsException("positions [" + from + ", " + to + ") outside the " + size
                    + " scored examples");
        }
    }
}
