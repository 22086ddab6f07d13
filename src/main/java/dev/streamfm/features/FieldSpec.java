package dev.streamfm.features;

import java.util.regex.Pattern;

/**
 * One input field of the model. Use the factories; the constructor checks the combination.
 *
 * @param buckets   table rows of a categorical or multi field, row 0 being "missing" (0 for numeric)
 * @param maxValues input slots of a multi field (0 for the others, which have one slot)
 * @param transform how a numeric field is turned into a row and value (null for the others)
 */
public record FieldSpec(String name, FieldKind kind, int buckets, int maxValues, NumericTransform transform) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");

    public FieldSpec {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new FeatureSpecException("field name '" + name + "' is invalid; use 1 to 128 letters, digits, "
                    + "'_', '-', '.' or ':'");
        }
        if (kind == null) {
            throw new FeatureSpecException("field '" + name + "' has no kind; add 'kind: categorical', "
                    + "'kind: multi' or 'kind: numeric'");
        }
        String where = "field '" + name + "' (" + kind.yamlName() + ")";
        if (kind == FieldKind.NUMERIC) {
            if (buckets != 0) {
                throw new FeatureSpecException(where + " takes no buckets: its rows follow from its boundaries; "
                        + "remove 'buckets'");
            }
            if (transform == null) {
                throw new FeatureSpecException(where + " needs a transform (none or log1p)");
            }
        } else {
            if (buckets < 2) {
                throw new FeatureSpecException(where + " needs 'buckets: N' with N >= 2 (row 0 is the missing "
                        + "row)" + (buckets == 0 ? "" : ", got " + buckets));
            }
            if (transform != null) {
                throw new FeatureSpecException(where + ": transform, clip and boundaries apply only to numeric "
                        + "fields; remove them");
            }
        }
        if (kind == FieldKind.MULTI && maxValues < 1) {
            throw new FeatureSpecException(where + " needs 'max_values: N' with N >= 1 (its number of input "
                    + "slots)" + (maxValues == 0 ? "" : ", got " + maxValues));
        }
        if (kind != FieldKind.MULTI && maxValues != 0) {
            throw new FeatureSpecException(where + ": max_values applies only to multi fields; remove it");
        }
    }

    public static FieldSpec categorical(String name, int buckets) {
        return new FieldSpec(name, FieldKind.CATEGORICAL, buckets, 0, null);
    }

    public static FieldSpec multi(String name, int buckets, int maxValues) {
        return new FieldSpec(name, FieldKind.MULTI, buckets, maxValues, null);
    }

    public static FieldSpec numeric(String name, NumericTransform transform) {
        return new FieldSpec(name, FieldKind.NUMERIC, 0, 0, transform);
    }

    /** Table rows of this field, the missing row (0) included. */
    public int rows() {
        return kind == FieldKind.NUMERIC ? transform.rows() : buckets;
    }

    /** Input slots of this field per example. */
    public int slots() {
        return kind == FieldKind.MULTI ? maxValues : 1;
    }
}
