package dev.streamfm.synth;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/** P(rank r) proportional to 1 / (r + 1)^exponent over ranks 0..n-1, sampled by inverting the CDF. */
public final class ZipfDistribution {

    private final double[] cdf;

    public ZipfDistribution(int n, double exponent) {
        if (n < 1) {
            throw new IllegalArgumentException("Zipf needs at least one value, got " + n);
        }
        if (!(exponent >= 0)) {
            throw new IllegalArgumentException("Zipf exponent must be >= 0, got " + exponent);
        }
        cdf = new double[n];
        double sum = 0;
        for (int r = 0; r < n; r++) {
            sum += Math.pow(r + 1, -exponent);
            cdf[r] = sum;
        }
        for (int r = 0; r < n; r++) {
            cdf[r] /= sum;
        }
        cdf[n - 1] = 1.0;
    }

    public double probability(int rank) {
        return rank == 0 ? cdf[0] : cdf[rank] - cdf[rank - 1];
    }

    public int sample(RandomGenerator random) {
        int i = Arrays.binarySearch(cdf, random.nextDouble());
        // binarySearch returns -(insertion point) - 1 for a miss: the first rank whose CDF exceeds u
        return i >= 0 ? i : -i - 1;
    }
}
