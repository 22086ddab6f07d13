package dev.streamfm.stream.serde;

import dev.streamfm.features.TestEvents;
import dev.streamfm.schema.ClickEvent;
import dev.streamfm.schema.DeadLetter;
import dev.streamfm.schema.Label;
import dev.streamfm.schema.LabeledExample;
import dev.streamfm.schema.ModelBlock;
import dev.streamfm.schema.Prediction;
import dev.streamfm.schema.ScoredEvent;
import org.apache.avro.specific.SpecificRecord;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One filled-in record of every schema. */
final class SampleRecords {

    static final Instant T1 = Instant.ofEpochMilli(1_700_000_123_456L);

    private SampleRecords() {
    }

    static ClickEvent clickEvent() {
        return TestEvents.event("e1", Map.of("app", "x", "city", "Zürich"), Map.of("tags", List.of("a", "b")),
                Map.of("age", 3.5, "n", -2.0), 1);
    }

    static Label label() {
        return new Label("e1", T1, 0);
    }

    static List<SpecificRecord> everySchema() {
        return List.of(
                clickEvent(),
                TestEvents.event("e2", Map.of(), Map.of(), Map.of(), null),
                label(),
                new Prediction("e1", TestEvents.T0, 0.25, "deepfm", 42L, T1),
                new DeadLetter("streamfm.events", 3, 99L, ByteBuffer.wrap(new byte[] {1, 2}),
                        ByteBuffer.wrap(new byte[] {(byte) 0xC3, 0}), "undecodable", "RecordRejectedException",
                        "value starts with 0xC3 0x00", T1),
                new DeadLetter("streamfm.labels", 0, 0L, null, null, "empty_record", "X", "", T1),
                new LabeledExample(clickEvent(), 1, T1),
                new LabeledExample(clickEvent(), 0, T1),
                new ScoredEvent(clickEvent(), 0.125, 99L),
                new ModelBlock("deepfm", "embedding", 7, 7000L, List.of(25_641L, 16L),
                        ByteBuffer.wrap(new byte[] {0, 0, (byte) 0x80, 0x3f}), 1234L, T1, 0x5eedL, 12, 0.81, 0.42, 20_000L));
    }
}
