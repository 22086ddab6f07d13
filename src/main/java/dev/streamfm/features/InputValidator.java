package dev.streamfm.features;

import dev.streamfm.schema.ClickEvent;
import dev.streamfm.schema.Label;
import dev.streamfm.schema.LabeledExample;
import dev.streamfm.rejection.RecordRejectedException;
import dev.streamfm.rejection.RejectReason;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks that an input record is safe and meaningful for the model before anything is built
 * from it: limits, event id, label, finite numbers, features in the map their kind says.
 * Fields the spec does not know are only held to the limits. Immutable, so one instance
 * serves every stream thread.
 */
public final class InputValidator {

    private final FeatureSpec spec;
    private final Limits limits;
    private final Map<String, Integer> index = new HashMap<>();

    public InputValidator(FeatureSpec spec) {
        this.spec = spec;
        this.limits = spec.limits();
        for (int f = 0; f < spec.fields().size(); f++) {
            index.put(spec.fields().get(f).name(), f);
        }
    }

    /** Index of the named field in the spec, or -1 when the spec does not have it. */
    int fieldIndex(String name) {
        Integer f = index.get(name);
        return f == null ? -1 : f;
    }

    public void validate(ClickEvent e) throws RecordRejectedException {
        eventId(e.getEventId());
        eventTime(e.getEventTime());
        Integer label = e.getLabel();
        if (label != null) {
            label(label);
        }
        categorical(e.getCategorical());
        multi(e.getMulti());
        numeric(e.getNumeric());
    }

    /** An example for the trainer: its event, and a label that must be there. */
    public void validate(LabeledExample x) throws RecordRejectedException {
        validate(x.getEvent());
        label(x.getLabel());
    }

    public void validate(Label l) throws RecordRejectedException {
        eventId(l.getEventId());
        eventTime(l.getEventTime());
        label(l.getLabel());
    }

    private void eventId(String id) throws RecordRejectedException {
        if (id == null || id.isEmpty()) {
            throw new RecordRejectedException(RejectReason.MISSING_EVENT_ID, "event_id is "
                    + (id == null ? "null" : "empty") + "; every record needs a non-empty event_id");
        }
        if (tooLong(id)) {
            throw oversized("event_id", id);
        }
    }

    private static void eventTime(Instant t) throws RecordRejectedException {
        if (t == null) {
            throw new RecordRejectedException(RejectReason.MISSING_FIELD, "event_time is null; send epoch "
                    + "milliseconds");
        }
        if (t.isBefore(Instant.EPOCH)) {
            throw new RecordRejectedException(RejectReason.INVALID_EVENT_TIME, "event_time " + t
                    + " is before 1970; send epoch milliseconds >= 0");
        }
    }

    private static void label(int label) throws RecordRejectedException {
        if (label != 0 && label != 1) {
            throw new RecordRejectedException(RejectReason.INVALID_LABEL, "label is " + label
                    + "; allowed: 0 (no click), 1 (click), or null/absent when unknown");
        }
    }

    private void categorical(Map<String, String> map) throws RecordRejectedException {
        if (map == null) {
            return;
        }
        entries(map, FieldKind.CATEGORICAL);
        for (Map.Entry<String, String> en : map.entrySet()) {
            String field = key(en.getKey(), FieldKind.CATEGORICAL);
            String value = en.getValue();
            if (value == null) {
                throw new RecordRejectedException(RejectReason.WRONG_TYPE, "categorical '" + field
                        + "' is null; send a string or leave the field out");
            }
            if (tooLong(value)) {
                throw oversized("categorical '" + field + "'", value);
            }
        }
    }

    private void multi(Map<String, List<String>> map) throws RecordRejectedException {
        if (map == null) {
            return;
        }
        entries(map, FieldKind.MULTI);
        for (Map.Entry<String, List<String>> en : map.entrySet()) {
            String field = key(en.getKey(), FieldKind.MULTI);
            List<String> values = en.getValue();
            if (values == null) {
                throw new RecordRejectedException(RejectReason.WRONG_TYPE, "multi '" + field
                        + "' is null; send a list of strings or leave the field out");
            }
            if (values.size() > limits.maxValuesPerField()) {
                throw new RecordRejectedException(RejectReason.TOO_MANY_VALUES, "multi '" + field + "' has "
                        + values.size() + " values; at most limits.max_values_per_field = "
                        + limits.maxValuesPerField());
            }
            for (String v : values) {
                if (v == null) {
                    throw new RecordRejectedException(RejectReason.WRONG_TYPE, "multi '" + field
                            + "' contains null; send strings only");
                }
                if (tooLong(v)) {
                    throw oversized("a value of multi '" + field + "'", v);
                }
            }
        }
    }

    private void numeric(Map<String, Double> map) throws RecordRejectedException {
        if (map == null) {
            return;
        }
        entries(map, FieldKind.NUMERIC);
        for (Map.Entry<String, Double> en : map.entrySet()) {
            String field = key(en.getKey(), FieldKind.NUMERIC);
            Double value = en.getValue();
            if (value == null) {
                throw new RecordRejectedException(RejectReason.WRONG_TYPE, "numeric '" + field
                        + "' is null; send a number or leave the field out");
            }
            int f = fieldIndex(field);
            if (f < 0) {
                continue;
            }
            if (!Double.isFinite(value)) {
                throw new RecordRejectedException(RejectReason.NON_FINITE_NUMBER, "numeric '" + field + "' is "
                        + value + "; send a finite number or leave the field out when unknown");
            }
            if (spec.fields().get(f).transform().overflowsFloat(value)) {
                throw new RecordRejectedException(RejectReason.NON_FINITE_NUMBER, "numeric '" + field + "' = "
                        + value + " overflows float32 after its transform; add 'clip: {min: .., max: ..}' or "
                        + "'transform: log1p' to the field in the feature spec");
            }
        }
    }

    private void entries(Map<String, ?> map, FieldKind kind) throws RecordRejectedException {
        if (map.size() > limits.maxMapEntries()) {
            throw new RecordRejectedException(RejectReason.TOO_MANY_ENTRIES, kind.eventMap() + " has "
                    + map.size() + " entries; at most limits.max_map_entries = " + limits.maxMapEntries());
        }
    }

    /** Checks a field name of the map of the given kind and returns it. */
    private String key(String name, FieldKind kind) throws RecordRejectedException {
        if (name == null) {
            throw new RecordRejectedException(RejectReason.WRONG_TYPE, kind.eventMap() + " has a null field name");
        }
        if (tooLong(name)) {
            throw oversized("a field name in " + kind.eventMap(), name);
        }
        int f = fieldIndex(name);
        if (f >= 0 && spec.fields().get(f).kind() != kind) {
            FieldKind declared = spec.fields().get(f).kind();
            throw new RecordRejectedException(RejectReason.WRONG_TYPE, "field '" + name + "' arrived in '"
                    + kind.eventMap() + "' but the feature spec declares it " + declared.yamlName()
                    + "; send it in '" + declared.eventMap() + "'");
        }
        return name;
    }

    private boolean tooLong(String s) {
        return s.length() > limits.maxStringLength();
    }

    private RecordRejectedException oversized(String what, String s) {
        return new RecordRejectedException(RejectReason.OVERSIZED_STRING, what + " is " + s.length()
                + " chars long (starts '" + s.substring(0, Math.min(16, s.length()))
                + "'); at most limits.max_string_length = " + limits.maxStringLength());
    }
}
