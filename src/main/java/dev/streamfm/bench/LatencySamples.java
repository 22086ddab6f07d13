package dev.streamfm.bench;

import java.util.Arrays;

/** Latencies in milliseconds, kept whole so percentiles are exact, not bucketed. */
final class LatencySamples {

    private long[] values = new long[1024];
    private int size;

    void add(long millis) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = Math.max(0, millis);
    }

    int size() {
        return size;
    }

    /** Nearest-rank percentile; NaN without samples. */
    double percentile(double p) {
        if (size == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100 * size);
        return sorted[Math.max(0, rank - 1)];
    }
}
