package dev.streamfm.features;

/**
 * A micro-batch in the form the model consumes: for each example and input slot, a global
 * embedding-table row and a value that scales it (1 for a categorical id, 1/n for each of n
 * values of a multi-valued field, the transformed number for a raw numeric field, 0 for an
 * unused slot). Arrays are row-major [size x slots].
 */
public record FeatureBatch(int size, int slots, int[] rows, float[] values) {

    public FeatureBatch {
        if (rows.length != size * slots || values.length != size * slots) {
            throw new IllegalArgumentException("rows and values must have size*slots = " + size * slots
                    + " entries, got " + rows.length + " and " + values.length);
        }
    }

    /** A categorical-only batch: every value is 1. */
    public static FeatureBatch ofRows(int size, int slots, int[] rows) {
        float[] ones = new float[rows.length];
        java.util.Arrays.fill(ones, 1f);
        return new FeatureBatch(size, slots, rows, ones);
    }
}
