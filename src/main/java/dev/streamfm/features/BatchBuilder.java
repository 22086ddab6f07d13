package dev.streamfm.features;

import dev.streamfm.schema.ClickEvent;
import dev.streamfm.rejection.RecordRejectedException;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Turns ClickEvents into a {@link FeatureBatch} following a feature spec. Per example, each
 * field starts on its missing row (value 1 on its first slot, 0 on the others) and is
 * overwritten by what the event carries: a categorical value's hashed bucket (value 1); up to
 * max_values hashed values of a multi field, each weighted 1/n; a numeric field's transformed
 * value on its "present" row, or value 1 on its interval's row when bucketized.
 *
 * <p>Not thread-safe: one builder per stream task. It reuses its arrays and allocates nothing
 * per event once it has grown to the batch size.
 */
public final class BatchBuilder {

    private final InputValidator validator;
    private final FeatureStats stats;
    private final FieldHasher hasher;
    private final FeatureLayout layout;
    private final FieldSpec[] fields;
    private final int[] firstSlot;
    private final int slots;
    private final int[] missingRows;
    private final float[] missingValues;
    private final boolean[] present;
    private int[] rows;
    private float[] values;
    private int size;

    public BatchBuilder(FeatureSpec spec, FeatureStats stats, int initialCapacity) {
        this.validator = new InputValidator(spec);
        this.stats = stats;
        this.layout = spec.layout();
        this.fields = spec.fields().toArray(FieldSpec[]::new);
        this.hasher = new FieldHasher(layout.fieldNames());
        this.slots = layout.slots();
        this.firstSlot = new int[fields.length];
        this.missingRows = new int[slots];
        this.missingValues = new float[slots];
        for (int s = slots - 1; s >= 0; s--) {
            int f = layout.fieldOfSlot()[s];
            firstSlot[f] = s;
            missingRows[s] = layout.fieldOffset()[f];
        }
        for (int f = 0; f < fields.length; f++) {
            missingValues[firstSlot[f]] = 1f;
        }
        this.present = new boolean[fields.length];
        int capacity = Math.max(1, initialCapacity);
        this.rows = new int[capacity * slots];
        this.values = new float[capacity * slots];
    }

    public FeatureLayout layout() {
        return layout;
    }

    /** Checks an event without adding it: what {@link #add} would reject. */
    public void validate(ClickEvent event) throws RecordRejectedException {
        validator.validate(event);
    }

    /** Validates the event and appends it as the next example; a rejected event leaves the batch as it was. */
    public void add(ClickEvent event) throws RecordRejectedException {
        validator.validate(event);
        addValidated(event);
    }

    /**
     * Appends an event that was validated where it entered (the stream's decoding step, README,
     * Dead letters): an event is validated once, and later stages trust the decoded value.
     */
    public void addValidated(ClickEvent event) {
        if ((size + 1) * slots > rows.length) {
            rows = Arrays.copyOf(rows, 2 * rows.length);
            values = Arrays.copyOf(values, 2 * values.length);
        }
        int base = size * slots;
        System.arraycopy(missingRows, 0, rows, base, slots);
        System.arraycopy(missingValues, 0, values, base, slots);
        Arrays.fill(present, false);
        Map<String, String> categorical = event.getCategorical();
        if (categorical != null) {
            for (Map.Entry<String, String> e : categorical.entrySet()) {
                int f = known(e.getKey());
                if (f >= 0) {
                    rows[base + firstSlot[f]] += hasher.bucket(f, e.getValue(), fields[f].buckets());
                    present[f] = true;
                }
            }
        }
        Map<String, List<String>> multi = event.getMulti();
        if (multi != null) {
            for (Map.Entry<String, List<String>> e : multi.entrySet()) {
                int f = known(e.getKey());
                if (f >= 0) {
                    present[f] = addMulti(base, f, e.getValue());
                }
            }
        }
        Map<String, Double> numeric = event.getNumeric();
        if (numeric != null) {
            for (Map.Entry<String, Double> e : numeric.entrySet()) {
                int f = known(e.getKey());
                if (f >= 0) {
                    NumericTransform t = fields[f].transform();
                    double x = t.apply(e.getValue());
                    rows[base + firstSlot[f]] += t.row(x);
                    values[base + firstSlot[f]] = t.value(x);
                    present[f] = true;
                }
            }
        }
        for (int f = 0; f < fields.length; f++) {
            if (!present[f]) {
                stats.missingField(fields[f].name());
            }
        }
        size++;
    }

    /** Fills the slots of multi field f; false when the list is empty (the field stays missing). */
    private boolean addMulti(int base, int f, List<String> list) {
        int maxValues = fields[f].maxValues();
        int n = Math.min(list.size(), maxValues);
        if (list.size() > maxValues) {
            stats.truncatedField(fields[f].name());
        }
        if (n == 0) {
            return false;
        }
        float weight = 1f / n;
        int slot = base + firstSlot[f];
        for (String value : list) {
            if (slot == base + firstSlot[f] + n) {
                break;
            }
            rows[slot] += hasher.bucket(f, value, fields[f].buckets());
            values[slot++] = weight;
        }
        return true;
    }

    /** The spec index of a field name, or -1 after counting it as unknown. */
    private int known(String name) {
        int f = validator.fieldIndex(name);
        if (f < 0) {
            stats.unknownField(name);
        }
        return f;
    }

    public int size() {
        return size;
    }

    /** The examples added since the last clear, in a batch of its own (the builder keeps its arrays). */
    public FeatureBatch build() {
        int n = size * slots;
        return new FeatureBatch(size, slots, Arrays.copyOf(rows, n), Arrays.copyOf(values, n));
    }

    public void clear() {
        size = 0;
    }
}
