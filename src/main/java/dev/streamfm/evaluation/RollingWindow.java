package dev.streamfm.evaluation;

/**
 * The last {@code capacity} (score, label) pairs, with their metrics computed on demand.
 *
 * <p>Adding is O(1) and allocation-free; {@link #metrics()} costs one pass plus the AUC sort,
 * O(n log n) in the window size (a few milliseconds for 100k), and is cached until the next add,
 * so call it when publishing, not per example. Not thread-safe: one thread owns a window and
 * hands the immutable {@link Metrics} to others.
 */
public final class RollingWindow {

    private final float[] scores;
    private final byte[] labels;
    private int next;
    private int size;
    private long added;
    private Metrics cached = Metrics.EMPTY;
    private boolean stale;

    public RollingWindow(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("rolling window capacity must be >= 1, got " + capacity);
        }
        scores = new float[capacity];
        labels = new byte[capacity];
    }

    public void add(float score, int label) {
        put(score, Labels.checked(label));
    }

    private void put(float score, byte label) {
        scores[next] = score;
        labels[next] = label;
        next = next + 1 == scores.length ? 0 : next + 1;
        if (size < scores.length) {
            size++;
        }
        added++;
        stale = true;
    }

    /** Adds a batch; labels as the model takes them (0f or 1f). */
    public void addAll(float[] batchScores, float[] batchLabels) {
        if (batchScores.length != batchLabels.length) {
            throw new IllegalArgumentException(batchScores.length + " scores but " + batchLabels.length + " labels");
        }
        for (int i = 0; i < batchScores.length; i++) {
            put(batchScores[i], Labels.checked(batchLabels[i]));
        }
    }

    /** Metrics of the pairs currently in the window (their order does not matter to any of them). */
    public Metrics metrics() {
        if (stale) {
            cached = Metrics.of(scores, labels, 0, size);
            stale = false;
        }
        return cached;
    }

    public int size() {
        return size;
    }

    public int capacity() {
        return scores.length;
    }

    /** Pairs added since creation, including those that have left the window. */
    public long added() {
        return added;
    }
}
