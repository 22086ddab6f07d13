package dev.streamfm.model;

import dev.streamfm.synth.ZipfDistribution;

import dev.streamfm.features.FeatureBatch;
import dev.streamfm.features.FeatureLayout;

import java.math.BigInteger;
import java.util.Random;

/**
 * A fixed pool of categorical batches with Zipf-distributed rows per field and random labels,
 * generated up front so that benchmarks time the model, not the generator.
 */
public final class SyntheticBatches {

    private final FeatureBatch[] batches;
    private final float[][] labels;

    private SyntheticBatches(FeatureBatch[] batches, float[][] labels) {
        this.batches = batches;
        this.labels = labels;
    }

    /**
     * {@code count} batches of {@code size} examples over a one-slot-per-field layout: in each field
     * the value of rank k has probability proportional to 1 / k^exponent, and ranks are spread over
     * the field's rows by a fixed bijection, as hashing would. One label in four is a click.
     */
    public static SyntheticBatches zipf(FeatureLayout layout, int size, int count, double exponent, long seed) {
        if (!layout.oneSlotPerField()) {
            throw new IllegalArgumentException("synthetic batches need one slot per field");
        }
        Random random = new Random(seed);
        int fields = layout.fields();
        ZipfDistribution[] zipf = new ZipfDistribution[fields];
        long[] strides = new long[fields];
        for (int f = 0; f < fields; f++) {
            strides[f] = stride(layout.fieldRows()[f]);
            zipf[f] = f > 0 && layout.fieldRows()[f] == layout.fieldRows()[f - 1] ? zipf[f - 1]
                    : new ZipfDistribution(layout.fieldRows()[f], exponent);
        }
        FeatureBatch[] batches = new FeatureBatch[count];
        float[][] labels = new float[count][size];
        for (int i = 0; i < count; i++) {
            int[] rows = new int[size * fields];
            for (int b = 0; b < size; b++) {
                for (int f = 0; f < fields; f++) {
                    int n = layout.fieldRows()[f];
                    int rank = zipf[f].sample(random);
                    rows[b * fields + f] = layout.fieldOffset()[f] + (int) (rank * strides[f] % n);
                }
                labels[i][b] = random.nextInt(4) == 0 ? 1f : 0f;
            }
            batches[i] = FeatureBatch.ofRows(size, fields, rows);
        }
        return new SyntheticBatches(batches, labels);
    }

    public int count() {
        return batches.length;
    }

    public FeatureBatch batch(int i) {
        return batches[i % batches.length];
    }

    public float[] labels(int i) {
        return labels[i % labels.length];
    }

    /** A multiplier coprime to n, so rank -> rank * stride mod n is a bijection that scatters hot ranks. */
    private static long stride(int n) {
        long s = 2_654_435_761L % Math.max(n, 1);
        while (BigInteger.valueOf(s).gcd(BigInteger.valueOf(n)).intValue() != 1) {
            s++;
        }
        return s;
    }
}
