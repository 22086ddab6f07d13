package dev.streamfm.rejection;

import java.util.Locale;

/**
 * Why a record was not used. The label is a public contract: it is the {@code reason} of the
 * dead letter and the {@code reason} label of {@code streamfm_dead_letters_total}, so it is
 * stable snake_case and the set stays small (never carry record content here).
 */
public enum RejectReason {
    EMPTY_RECORD("null or zero-length value"),
    RECORD_TOO_LARGE("value longer than limits.max_record_bytes"),
    UNDECODABLE("neither Avro single-object encoding (C3 01 header) nor a JSON object, or a corrupt Avro body"),
    TRUNCATED("Avro body ends before the record is complete"),
    TRAILING_BYTES("bytes left over after a complete Avro record"),
    UNKNOWN_SCHEMA("Avro writer-schema fingerprint that no known schema has"),
    SCHEMA_MISMATCH("a record of another type, or a writer schema the reader cannot resolve"),
    UNTRUSTED_CLASS("Avro refused to instantiate an untrusted class (AvroTrust not installed)"),
    MALFORMED_JSON("not syntactically valid JSON"),
    MISSING_FIELD("a required field is absent"),
    UNKNOWN_FIELD("a JSON property the schema does not have"),
    DUPLICATE_FIELD("a JSON property or map key given twice"),
    WRONG_TYPE("a value of the wrong type, an int out of range, or a feature sent in the wrong map"),
    MISSING_EVENT_ID("event_id is null or empty"),
    INVALID_EVENT_TIME("event_time is negative"),
    INVALID_LABEL("label is not 0 or 1"),
    KEY_MISMATCH("an event or label whose record key is null or not its event_id"),
    TIMESTAMP_OUT_OF_RANGE("record timestamp missing (negative), further ahead of the clock than "
            + "streamfm.input.max.future.ms, further from the record's event_time than streamfm.input.max.skew.ms, "
            + "or older than streamfm.input.max.age.ms"),
    NON_FINITE_NUMBER("a numeric feature is NaN or infinite, or overflows float32 after its transform"),
    OVERSIZED_STRING("a string longer than limits.max_string_length"),
    TOO_MANY_ENTRIES("a map with more than limits.max_map_entries entries"),
    TOO_MANY_VALUES("a multi-valued list longer than limits.max_values_per_field"),
    DERIVED_RECORD_TOO_LARGE("a record derived from this one (example, changelog entry, dead letter) was larger "
            + "than the broker accepts"),
    PROCESSING_ERROR("an exception while processing the record (a bug or a model failure); see error_class"),
    ORPHAN_LABEL("a label whose event never arrived within the attribution window");

    private final String label;
    private final String description;

    RejectReason(String description) {
        this.label = name().toLowerCase(Locale.ROOT);
        this.description = description;
    }

    /** Stable snake_case code: the dead letter's reason and the metric label. */
    public String label() {
        return label;
    }

    /** One line for operators: what records get this reason. */
    public String description() {
        return description;
    }

    public static RejectReason fromLabel(String label) {
        for (RejectReason r : values()) {
            if (r.label.equals(label)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown reject reason '" + label + "'");
    }

    @Override
    public String toString() {
        return label;
    }
}
