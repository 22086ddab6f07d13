package dev.streamfm.features;

import java.util.List;

/**
 * How a feature spec maps onto the model's input: one embedding table whose rows are split
 * into per-field ranges, and a fixed number of input slots per example (one per single-valued
 * field, several per multi-valued field). Models see only this, never the spec itself.
 *
 * @param fieldNames  field names in slot order of their first slot
 * @param fieldOfSlot for each input slot, the index of the field it belongs to
 * @param fieldOffset first table row of each field
 * @param fieldRows   number of table rows of each field (row fieldOffset[f] is "missing")
 * @param groups      which fields feed the wide, FM and deep parts
 */
public record FeatureLayout(List<String> fieldNames, int[] fieldOfSlot, int[] fieldOffset, int[] fieldRows,
                            FieldGroups groups) {

    public FeatureLayout {
        fieldNames = List.copyOf(fieldNames);
        if (fieldOffset.length != fieldNames.size() || fieldRows.length != fieldNames.size()) {
            throw new IllegalArgumentException("fieldOffset and fieldRows need one entry per field");
        }
    }

    /** Every field in every group. */
    public FeatureLayout(List<String> fieldNames, int[] fieldOfSlot, int[] fieldOffset, int[] fieldRows) {
        this(fieldNames, fieldOfSlot, fieldOffset, fieldRows, FieldGroups.all(fieldNames.size()));
    }

    /** A layout with one slot per field and the given rows per field, laid out back to back. */
    public static FeatureLayout singleSlot(List<String> names, int[] rowsPerField) {
        int[] slots = new int[names.size()];
        int[] offsets = new int[names.size()];
        int next = 0;
        for (int f = 0; f < names.size(); f++) {
            slots[f] = f;
            offsets[f] = next;
            next += rowsPerField[f];
        }
        return new FeatureLayout(names, slots, offsets, rowsPerField.clone());
    }

    /** Value equality: the record's default would compare the arrays by identity. */
    @Override
    public boolean equals(Object o) {
        return o instanceof FeatureLayout l && fieldNames.equals(l.fieldNames)
                && java.util.Arrays.equals(fieldOfSlot, l.fieldOfSlot)
                && java.util.Arrays.equals(fieldOffset, l.fieldOffset) && java.util.Arrays.equals(fieldRows, l.fieldRows)
                && groups.equals(l.groups);
    }

    @Override
    public int hashCode() {
        return 31 * fieldNames.hashCode() + java.util.Arrays.hashCode(fieldRows);
    }

    public int fields() {
        return fieldNames.size();
    }

    public int slots() {
        return fieldOfSlot.length;
    }

    /** True when every field has exactly one slot, so no pooling is needed. */
    public boolean oneSlotPerField() {
        return fieldOfSlot.length == fieldNames.size();
    }

    public long totalRows() {
        long n = 0;
        for (int r : fieldRows) {
            n += r;
        }
        return n;
    }
}
