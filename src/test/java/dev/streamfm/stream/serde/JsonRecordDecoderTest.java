package dev.streamfm.stream.serde;

import dev.streamfm.features.TestEvents;
import dev.streamfm.schema.ClickEvent;
import dev.streamfm.schema.DeadLetter;
import dev.streamfm.schema.Label;
import dev.streamfm.schema.LabeledExample;
import dev.streamfm.schema.ModelBlock;
import dev.streamfm.rejection.RecordRejectedException;
import dev.streamfm.rejection.RejectReason;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonRecordDecoderTest {

    private final JsonRecordDecoder<ClickEvent> events = JsonRecordDecoder.of(ClickEvent.class);

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readsTheEventAScriptWrites() throws RecordRejectedException {
        ClickEvent e = events.decode(utf8("""
                {"event_id":"e1","event_time":1700000000000,"categorical":{"app":"x"},
                 "multi":{"tags":["a","b"]},"numeric":{"age":3.5,"n":2},"label":1}"""));
        assertEquals(TestEvents.event("e1", Map.of("app", "x"), Map.of("tags", List.of("a", "b")),
                Map.of("age", 3.5, "n", 2.0), 1), e);
        assertEquals(Instant.ofEpochMilli(1_700_000_000_000L), e.getEventTime());
    }

    @Test
    void optionalPropertiesTakeTheirDefaultsAndEachRecordOwnsItsMaps() throws RecordRejectedException {
        byte[] json = utf8("{\"event_time\": 5, \"event_id\": \"e\"}");
        ClickEvent a = events.decode(json);
        ClickEvent b = events.decode(json);
        assertEquals(new ClickEvent("e", Instant.ofEpochMilli(5), Map.of(), Map.of(), Map.of(), null), a);
        assertNotSame(a.getCategorical(), b.getCategorical());
        a.getCategorical().put("x", "y");
        assertTrue(b.getCategorical().isEmpty());
        assertNull(events.decode(utf8("{\"event_id\":\"e\",\"event_time\":5,\"label\":null}")).getLabel());
    }

    @Test
    void readsLabelsAndNestedRecords() throws RecordRejectedException {
        assertEquals(new Label("e9", Instant.ofEpochMilli(7), 1), JsonRecordDecoder.of(Label.class)
                .decode(utf8("{\"label\":1,\"event_id\":\"e9\",\"event_time\":7}")));
        JsonRecordDecoder<LabeledExample> examples = JsonRecordDecoder.of(LabeledExample.class);
        LabeledExample x = examples.decode(utf8(
                "{\"event\":{\"event_id\":\"e\",\"event_time\":1},\"label\":0,\"labeled_at\":2}"));
        assertEquals("e", x.getEvent().getEventId());
        RecordRejectedException e = assertThrows(RecordRejectedException.class, () -> examples.decode(utf8(
                "{\"event\":{\"event_id\":1,\"event_time\":1},\"label\":0,\"labeled_at\":2}")));
        assertEquals("event.event_id must be a string, got a number", e.getMessage());
    }

    @Test
    void messagesNameThePathAndWhatIsAllowed() {
        assertMessage("{\"event_id\":\"e\",\"event_time\":\"2024-01-01\"}", RejectReason.WRONG_TYPE,
                "event_time must be epoch milliseconds (an integer), got a string");
        assertMessage("{\"event_id\":\"e\",\"event_time\":1,\"label\":2147483648}", RejectReason.WRONG_TYPE,
                "label must be an integer (int) or null, got 2147483648 (out of range)");
        assertMessage("{\"event_id\":\"e\",\"event_time\":1,\"multi\":{\"tags\":[\"a\",3]}}", RejectReason.WRONG_TYPE,
                "multi.tags[1] must be a string, got a number");
        assertMessage("{\"event_id\":\"e\",\"event_time\":1,\"numeric\":{\"age\":\"3\"}}", RejectReason.WRONG_TYPE,
                "numeric.age must be a number, got a string");
        assertMessage("{\"event_id\":\"e\",\"event_time\":1,\"categorical\":[\"a\"]}", RejectReason.WRONG_TYPE,
                "categorical must be an object of strings, got a list");
        assertMessage("{\"event_time\":1}", RejectReason.MISSING_FIELD,
                "ClickEvent lacks required property 'event_id' (a string)");
        assertMessage("{\"event_id\":\"e\",\"event_time\":1,\"lable\":1}", RejectReason.UNKNOWN_FIELD,
                "ClickEvent has unknown property 'lable'; ClickEvent has event_id, event_time, categorical, multi, "
                        + "numeric, label");
        assertMessage("{\"event_id\":\"e\",\"event_time\":1,\"categorical\":{\"a\":\"x\",\"a\":\"y\"}}",
                RejectReason.DUPLICATE_FIELD, "categorical has key 'a' twice");
        assertMessage("[1]", RejectReason.WRONG_TYPE, "ClickEvent must be an object (ClickEvent), got a list");
    }

    @Test
    void malformedJsonSaysWhereWithoutQuotingTheRecord() {
        RecordRejectedException e = assertThrows(RecordRejectedException.class,
                () -> events.decode(utf8("{\"event_id\": \"secret-token\",\n \"event_time\": }")));
        assertEquals(RejectReason.MALFORMED_JSON, e.reason());
        assertTrue(e.getMessage().startsWith("invalid JSON at line 2, column"), e.getMessage());
        assertTrue(!e.getMessage().contains("secret-token"), e.getMessage());
    }

    @Test
    void schemasPlainJsonCannotCarryAreRefusedUpFront() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JsonRecordDecoder.of(DeadLetter.class));
        assertTrue(e.getMessage().contains("DeadLetter.key"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> JsonRecordDecoder.of(ModelBlock.class));
    }

    private void assertMessage(String json, RejectReason reason, String message) {
        RecordRejectedException e = assertThrows(RecordRejectedException.class, () -> events.decode(utf8(json)));
        assertEquals(reason, e.reason(), e.getMessage());
        assertEquals(message, e.getMessage());
    }
}
