package dev.streamfm.features;

/**
 * Bounds on what one input record may carry, so a broken or hostile producer cannot make the
 * service allocate without limit. Records beyond them are rejected, never truncated.
 *
 * @param maxStringLength   longest event_id, field name or value, in UTF-16 chars
 * @param maxMapEntries     most entries in each of the categorical, multi and numeric maps
 * @param maxValuesPerField longest list of a multi-valued field (a spec field keeps only its
 *                          first max_values of them)
 * @param maxRecordBytes    largest encoded record on an input topic; the default leaves room under
 *                          the broker's default message.max.bytes (1 MB) for what the service
 *                          derives from a record (its example and store changelog entries are the
 *                          record plus a few dozen bytes)
 */
public record Limits(int maxStringLength, int maxMapEntries, int maxValuesPerField, int maxRecordBytes) {

    public static final Limits DEFAULT = new Limits(1024, 1024, 1024, 1 << 19);

    public Limits {
        positive("max_string_length", maxStringLength);
        positive("max_map_entries", maxMapEntries);
        positive("max_values_per_field", maxValuesPerField);
        positive("max_record_bytes", maxRecordBytes);
    }

    private static void positive(String key, int value) {
        if (value < 1) {
            throw new FeatureSpecException("limits." + key + " must be >= 1, got " + value);
        }
    }
}
