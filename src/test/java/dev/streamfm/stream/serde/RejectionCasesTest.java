package dev.streamfm.stream.serde;

import dev.streamfm.features.BatchBuilder;
import dev.streamfm.features.FeatureSpec;
import dev.streamfm.features.FeatureStats;
import dev.streamfm.features.FieldSpec;
import dev.streamfm.features.Limits;
import dev.streamfm.features.NumericTransform;
import dev.streamfm.features.TestEvents;
import dev.streamfm.schema.ClickEvent;
import dev.streamfm.schema.Label;
import dev.streamfm.rejection.RecordRejectedException;
import dev.streamfm.rejection.RejectReason;
import org.apache.avro.AvroTypeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.streamfm.features.TestEvents.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every way an input record is turned away, through the public entry points (the input
 * decoders and the batch builder), with its reason and the words of its message.
 */
class RejectionCasesTest {

    /** mixedSpec plus a raw numeric r, with small limits. */
    private static final FeatureSpec SPEC = spec();
    private static final InputDecoder<ClickEvent> EVENTS = InputDecoder.events(SPEC);
    private static final InputDecoder<Label> LABELS = InputDecoder.labels(SPEC);
    private static final AvroSerde<ClickEvent> AVRO = AvroSerde.of(ClickEvent.class);
    private static final String OK_JSON = "{\"event_id\":\"e1\",\"event_time\":1%s}";

    record Case(String name, RejectReason reason, List<String> fragments, Executable action) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static FeatureSpec spec() {
        List<FieldSpec> fields = new ArrayList<>(TestEvents.mixedSpec(Limits.DEFAULT).fields());
        fields.add(FieldSpec.numeric("r", NumericTransform.RAW));
        return new FeatureSpec(fields, new Limits(16, 4, 6, 2048));
    }

    static List<Case> cases() {
        byte[] good = AVRO.encode(event("e1", Map.of("a", "x"), Map.of(), Map.of("n", 1.0), null));
        List<Case> cases = new ArrayList<>();
        // framing
        cases.add(decode("null value", RejectReason.EMPTY_RECORD, null, "value is null"));
        cases.add(decode("empty value", RejectReason.EMPTY_RECORD, new byte[0], "value is empty"));
        cases.add(decode("record too large", RejectReason.RECORD_TOO_LARGE,
                json(OK_JSON.formatted(",\"categorical\":{\"a\":\"" + "x".repeat(2100) + "\"}")),
                "limits.max_record_bytes = 2048"));
        cases.add(decode("plain text", RejectReason.UNDECODABLE, json("hello"), "starts with 0x68 0x65",
                "neither Avro single-object encoding (0xC3 0x01) nor a JSON object"));
        cases.add(decode("JSON array", RejectReason.UNDECODABLE, json(" [1]"), "starts with 0x20 0x5B"));
        cases.add(decode("wrong second magic byte", RejectReason.UNDECODABLE, patched(good, 1, 0x02),
                "starts with 0xC3 0x02, not the Avro single-object header"));
        byte[] garbage = Arrays.copyOf(good, 30);
        Arrays.fill(garbage, 10, 30, (byte) 0xFF);
        cases.add(decode("corrupt Avro body", RejectReason.UNDECODABLE, garbage, "corrupt Avro body of ClickEvent"));
        cases.add(decode("header cut short", RejectReason.TRUNCATED, Arrays.copyOf(good, 5),
                "5 bytes, fewer than the 10 of an Avro single-object header"));
        cases.add(decode("body cut short", RejectReason.TRUNCATED, Arrays.copyOf(good, good.length - 3),
                "Avro body ends before a complete ClickEvent"));
        cases.add(decode("map claiming 2^30 entries", RejectReason.TRUNCATED, withBody(good,
                0x04, 'e', '1', 0x00, 0x80, 0x80, 0x80, 0x80, 0x08), "Avro body ends before"));
        cases.add(decode("trailing bytes", RejectReason.TRAILING_BYTES, Arrays.copyOf(good, good.length + 3),
                "3 bytes follow a complete ClickEvent"));
        cases.add(decode("unknown fingerprint", RejectReason.UNKNOWN_SCHEMA, patched(good, 9, good[9] ^ 1),
                "is not the ClickEvent schema", "another or a newer schema"));
        cases.add(decode("a Label on the events topic", RejectReason.SCHEMA_MISMATCH,
                AvroSerde.of(Label.class).encode(SampleRecords.label()), "value is a Label, expected a ClickEvent"));
        cases.add(new Case("unresolvable writer schema", RejectReason.SCHEMA_MISMATCH,
                List.of("cannot read ClickEvent"), () -> {
                    throw AvroSerde.rejection("ClickEvent", new AvroTypeException("Found x, expecting y"));
                }));
        cases.add(new Case("untrusted class", RejectReason.UNTRUSTED_CLASS, List.of("AvroTrust.ensure()"), () -> {
            throw AvroSerde.rejection("ClickEvent", new SecurityException("Forbidden dev.streamfm.schema.ClickEvent!"));
        }));
        // JSON structure
        cases.add(decode("malformed JSON", RejectReason.MALFORMED_JSON, json("{\"event_id\": \"e1\",}"),
                "invalid JSON at line 1"));
        cases.add(decode("NaN literal in JSON", RejectReason.MALFORMED_JSON,
                json(OK_JSON.formatted(",\"numeric\":{\"n\":NaN}")), "JSON has no NaN or Infinity"));
        cases.add(decode("two JSON objects", RejectReason.MALFORMED_JSON, json(OK_JSON.formatted("") + " {}"),
                "more JSON after the ClickEvent object", "one object per record"));
        cases.add(decode("JSON without event_time", RejectReason.MISSING_FIELD, json("{\"event_id\":\"e1\"}"),
                "lacks required property 'event_time' (epoch milliseconds (an integer))"));
        ClickEvent noTime = event("e1", Map.of(), Map.of(), Map.of(), null);
        noTime.put("event_time", null); // the generated constructor and setter refuse null
        cases.add(build("null event_time", RejectReason.MISSING_FIELD, noTime, "event_time is null"));
        cases.add(decode("unknown JSON property", RejectReason.UNKNOWN_FIELD, json(OK_JSON.formatted(",\"lable\":1")),
                "unknown property 'lable'"));
        cases.add(decode("repeated JSON property", RejectReason.DUPLICATE_FIELD,
                json(OK_JSON.formatted(",\"label\":1,\"label\":0")), "has property 'label' twice"));
        cases.add(decode("number where a string belongs", RejectReason.WRONG_TYPE,
                json(OK_JSON.formatted(",\"categorical\":{\"a\":5}")), "categorical.a must be a string, got a number"));
        cases.add(decode("fraction where an int belongs", RejectReason.WRONG_TYPE,
                json(OK_JSON.formatted(",\"label\":1.0")), "label must be an integer (int) or null, got a number"));
        cases.add(decode("long out of range", RejectReason.WRONG_TYPE,
                json("{\"event_id\":\"e1\",\"event_time\":99999999999999999999}"),
                "event_time must be epoch milliseconds (an integer), got 99999999999999999999 (out of range)"));
        // content
        cases.add(build("feature in the wrong map", RejectReason.WRONG_TYPE,
                event("e1", Map.of(), Map.of(), Map.of("a", 1.0), null),
                "field 'a' arrived in 'numeric' but the feature spec declares it categorical;",
                "send it in 'categorical'"));
        cases.add(build("null categorical value", RejectReason.WRONG_TYPE,
                event("e1", Collections.singletonMap("a", null), Map.of(), Map.of(), null), "categorical 'a' is null"));
        cases.add(build("null in a multi list", RejectReason.WRONG_TYPE,
                event("e1", Map.of(), Map.of("t", Arrays.asList("x", null)), Map.of(), null),
                "multi 't' contains null"));
        cases.add(decode("empty event_id", RejectReason.MISSING_EVENT_ID,
                json("{\"event_id\":\"\",\"event_time\":1}"), "event_id is empty"));
        cases.add(build("null event_id", RejectReason.MISSING_EVENT_ID,
                event(null, Map.of(), Map.of(), Map.of(), null), "event_id is null"));
        cases.add(decode("label with empty event_id", RejectReason.MISSING_EVENT_ID, LABELS,
                json("{\"event_id\":\"\",\"event_time\":1,\"label\":1}"), "event_id is empty"));
        cases.add(decode("negative event_time", RejectReason.INVALID_EVENT_TIME,
                json("{\"event_id\":\"e1\",\"event_time\":-1}"), "before 1970", "epoch milliseconds >= 0"));
        cases.add(decode("event labeled 2", RejectReason.INVALID_LABEL, json(OK_JSON.formatted(",\"label\":2")),
                "label is 2; allowed: 0 (no click), 1 (click), or null/absent when unknown"));
        cases.add(decode("Label record labeled 5", RejectReason.INVALID_LABEL, LABELS,
                AvroSerde.of(Label.class).encode(new Label("e1", Instant.EPOCH, 5)), "label is 5"));
        cases.add(decode("NaN in Avro", RejectReason.NON_FINITE_NUMBER,
                AVRO.encode(event("e1", Map.of(), Map.of(), Map.of("n", Double.NaN), null)), "numeric 'n' is NaN"));
        cases.add(decode("1e400 in JSON", RejectReason.NON_FINITE_NUMBER,
                json(OK_JSON.formatted(",\"numeric\":{\"b\":-1e400}")), "numeric 'b' is -Infinity"));
        cases.add(build("raw value beyond float32", RejectReason.NON_FINITE_NUMBER,
                event("e1", Map.of(), Map.of(), Map.of("r", 1e300), null), "numeric 'r' = 1.0E300 overflows float32",
                "clip"));
        cases.add(decode("oversized event_id", RejectReason.OVERSIZED_STRING,
                json("{\"event_id\":\"" + "e".repeat(17) + "\",\"event_time\":1}"),
                "event_id is 17 chars long", "limits.max_string_length = 16"));
        cases.add(build("oversized categorical value", RejectReason.OVERSIZED_STRING,
                event("e1", Map.of("a", "v".repeat(17)), Map.of(), Map.of(), null),
                "categorical 'a' is 17 chars long"));
        cases.add(build("oversized field name", RejectReason.OVERSIZED_STRING,
                event("e1", Map.of(), Map.of(), Map.of("k".repeat(40), 1.0), null),
                "a field name in numeric is 40 chars long (starts 'kkkkkkkkkkkkkkkk')"));
        cases.add(build("oversized multi value", RejectReason.OVERSIZED_STRING,
                event("e1", Map.of(), Map.of("t", List.of("ok", "w".repeat(20))), Map.of(), null),
                "a value of multi 't' is 20 chars long"));
        cases.add(decode("too many categorical entries", RejectReason.TOO_MANY_ENTRIES, json(OK_JSON.formatted(
                        ",\"categorical\":{\"1\":\"a\",\"2\":\"a\",\"3\":\"a\",\"4\":\"a\",\"5\":\"a\"}")),
                "categorical has 5 entries; at most limits.max_map_entries = 4"));
        cases.add(build("too many values", RejectReason.TOO_MANY_VALUES,
                event("e1", Map.of(), Map.of("other", List.of("1", "2", "3", "4", "5", "6", "7")), Map.of(), null),
                "multi 'other' has 7 values; at most limits.max_values_per_field = 6"));
        return cases;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rejectedWithReasonAndReadableMessage(Case c) {
        RecordRejectedException e = assertThrows(RecordRejectedException.class, c.action());
        assertEquals(c.reason(), e.reason(), e.getMessage());
        for (String fragment : c.fragments()) {
            assertTrue(e.getMessage().contains(fragment), "'" + e.getMessage() + "' lacks '" + fragment + "'");
        }
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        assertTrue(e.getMessage().length() < 300, "short: " + e.getMessage());
    }

    @Test
    void everyReasonOfTheInputPathHasACase() {
        Set<RejectReason> covered = cases().stream().map(Case::reason).collect(Collectors.toSet());
        // orphan_label is decided by the labeling topology's attribution window, processing_error by
        // the Kafka Streams exception handler (ScorerTopologyTest, TrainerTopologyTest), and
        // timestamp_out_of_range and key_mismatch by the Kafka record around the value
        // (ScorerTopologyTest), derived_record_too_large by the production exception handler, not by
        // the value's checks.
        Set<RejectReason> expected = EnumSet.complementOf(EnumSet.of(RejectReason.ORPHAN_LABEL,
                RejectReason.PROCESSING_ERROR, RejectReason.TIMESTAMP_OUT_OF_RANGE, RejectReason.KEY_MISMATCH,
                RejectReason.DERIVED_RECORD_TOO_LARGE));
        assertEquals(expected, covered);
    }

    private static Case decode(String name, RejectReason reason, byte[] bytes, String... fragments) {
        return decode(name, reason, EVENTS, bytes, fragments);
    }

    private static Case decode(String name, RejectReason reason, InputDecoder<?> decoder, byte[] bytes,
                               String... fragments) {
        return new Case(name, reason, List.of(fragments), () -> decoder.decode(bytes));
    }

    /** Rejected by the batch builder, both by validate() and by add(), which then adds nothing. */
    private static Case build(String name, RejectReason reason, ClickEvent event, String... fragments) {
        return new Case(name, reason, List.of(fragments), () -> {
            BatchBuilder builder = new BatchBuilder(SPEC, new FeatureStats(), 4);
            RecordRejectedException validated = assertThrows(RecordRejectedException.class,
                    () -> builder.validate(event));
            try {
                builder.add(event);
            } catch (RecordRejectedException added) {
                assertEquals(validated.getMessage(), added.getMessage());
                assertEquals(0, builder.size());
                throw added;
            }
        });
    }

    private static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] patched(byte[] bytes, int at, int value) {
        byte[] copy = bytes.clone();
        copy[at] = (byte) value;
        return copy;
    }

    private static byte[] withBody(byte[] avro, int... body) {
        byte[] out = Arrays.copyOf(avro, AvroSerde.HEADER_LENGTH + body.length);
        for (int i = 0; i < body.length; i++) {
            out[AvroSerde.HEADER_LENGTH + i] = (byte) body[i];
        }
        return out;
    }
}
