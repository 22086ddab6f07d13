package dev.streamfm.features;

import java.util.Arrays;
import java.util.Locale;

/**
 * How a numeric field becomes one table row and a slot value: clip to [clipMin, clipMax], apply
 * the function, then either keep the result as the slot value on the field's "present" row, or,
 * when boundaries are given, pick the row of the interval it falls in (value 1). Boundaries are
 * in the transformed space: with log1p, [0, 1, 2] splits at x = 0, e-1 and e^2-1.
 *
 * <p>Intervals follow TensorFlow's Bucketize: (-inf, b0), [b0, b1), ..., [b(k-1), inf), i.e. a
 * value equal to a boundary belongs to the interval on its right.
 */
public record NumericTransform(Function function, double clipMin, double clipMax, double[] boundaries) {

    public enum Function {
        NONE,
        /** sign(x) * ln(1 + |x|): log1p made odd so negative counts (Criteo's I2) stay defined. */
        LOG1P;

        public String yamlName() {
            return name().toLowerCase(Locale.ROOT);
        }

        double apply(double x) {
            return this == NONE ? x : Math.copySign(Math.log1p(Math.abs(x)), x);
        }
    }

    /** The raw value, unclipped, on the "present" row. */
    public static final NumericTransform RAW = new NumericTransform(Function.NONE, Double.NEGATIVE_INFINITY,
            Double.POSITIVE_INFINITY, new double[0]);

    public NumericTransform {
        if (function == null) {
            throw new FeatureSpecException("transform must be one of none, log1p");
        }
        if (Double.isNaN(clipMin) || Double.isNaN(clipMax) || clipMin >= clipMax) {
            throw new FeatureSpecException("clip min (" + clipMin + ") must be below clip max (" + clipMax + ")");
        }
        boundaries = boundaries.clone();
        for (int i = 0; i < boundaries.length; i++) {
            if (!Double.isFinite(boundaries[i])) {
                throw new FeatureSpecException("boundaries must be finite numbers; position " + i + " is "
                        + boundaries[i]);
            }
            if (i > 0 && boundaries[i] <= boundaries[i - 1]) {
                throw new FeatureSpecException("boundaries must be strictly increasing; " + boundaries[i]
                        + " follows " + boundaries[i - 1] + " at position " + i + ": sort them and drop duplicates");
            }
        }
    }

    public static NumericTransform of(Function function) {
        return new NumericTransform(function, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, new double[0]);
    }

    public static NumericTransform bucketized(Function function, double... boundaries) {
        return new NumericTransform(function, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, boundaries);
    }

    public NumericTransform withClip(double min, double max) {
        return new NumericTransform(function, min, max, boundaries);
    }

    @Override
    public double[] boundaries() {
        return boundaries.clone();
    }

    public boolean isBucketized() {
        return boundaries.length > 0;
    }

    /** Table rows of a field with this transform, the missing row included. */
    public int rows() {
        return isBucketized() ? boundaries.length + 2 : 2;
    }

    /** The clipped, transformed value. */
    public double apply(double x) {
        return function.apply(Math.min(Math.max(x, clipMin), clipMax));
    }

    /** Row within the field (1.., 0 being missing) of an already transformed value. */
    public int row(double transformed) {
        if (!isBucketized()) {
            return 1;
        }
        int lo = 0;
        int hi = boundaries.length;
        while (lo < hi) { // first boundary > transformed
            int mid = (lo + hi) >>> 1;
            if (boundaries[mid] <= transformed) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return 1 + lo;
    }

    /** True when the slot value of x would be infinite: a raw value beyond float32 that no clip bounds. */
    public boolean overflowsFloat(double x) {
        // log1p of any finite double is below 710, and a bucketized field's value is 1
        return function == Function.NONE && !isBucketized() && Float.isInfinite((float) apply(x));
    }

    /** Slot value of an already transformed value. */
    public float value(double transformed) {
        return isBucketized() ? 1f : (float) transformed;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NumericTransform t && t.function == function
                && Double.compare(t.clipMin, clipMin) == 0 && Double.compare(t.clipMax, clipMax) == 0
                && Arrays.equals(t.boundaries, boundaries);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * function.hashCode() + Double.hashCode(clipMin)) + Double.hashCode(clipMax))
                + Arrays.hashCode(boundaries);
    }

    @Override
    public String toString() {
        return "NumericTransform[" + function.yamlName() + ", clip=[" + clipMin + ", " + clipMax + "], boundaries="
                + Arrays.toString(boundaries) + "]";
    }
}
