package dev.streamfm.report;

import dev.streamfm.analysis.GradientConflict;

import java.util.List;

/**
 * Counts of FM-vs-DNN cosines in 20 bins of width 0.1 over [-1, 1]: bin i holds
 * {@code lower(i) <= cosine < lower(i + 1)}, the last bin also holds 1. The bins below 0 are
 * exactly the conflicting measurements.
 */
public record CosineHistogram(long[] counts) {

    public static final int BINS = 20;

    public static CosineHistogram of(List<GradientConflict> measured) {
        long[] counts = new long[BINS];
        for (GradientConflict c : measured) {
            counts[bin(c.cosine())]++;
        }
        return new CosineHistogram(counts);
    }

    /** Lower edge of bin i; i = BINS gives the upper edge 1. Divided, not summed, so -0.9 is exactly -0.9. */
    public static double lower(int i) {
        return (i - BINS / 2) / 10.0;
    }

    static int bin(double cosine) {
        int i = BINS - 1;
        while (i > 0 && cosine < lower(i)) {
            i--;
        }
        return i;
    }

    public long total() {
        long n = 0;
        for (long c : counts) {
            n += c;
        }
        return n;
    }
}
