package dev.streamfm.stream.serde;

import dev.streamfm.features.BatchBuilder;
import dev.streamfm.features.FeatureBatch;
import dev.streamfm.features.FeatureSpec;
import dev.streamfm.features.FeatureStats;
import dev.streamfm.features.Limits;
import dev.streamfm.features.TestEvents;
import dev.streamfm.schema.ClickEvent;
import dev.streamfm.schema.Label;
import dev.streamfm.rejection.RecordRejectedException;
import dev.streamfm.rejection.RejectReason;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class InputDecoderTest {

    private static final FeatureSpec SPEC = TestEvents.mixedSpec(Limits.DEFAULT);
    private final InputDecoder<ClickEvent> events = InputDecoder.events(SPEC);

    private static final String JSON = """
            {"event_id":"e1","event_time":1700000000000,
             "categorical":{"a":"x","c":"y","unknown":"u"},
             "multi":{"t":["p","q","r","s"]},
             "numeric":{"n":3,"b":10.5},
             "label":1}""";

    private static ClickEvent sameEvent() {
        return TestEvents.event("e1", Map.of("a", "x", "c", "y", "unknown", "u"),
                Map.of("t", List.of("p", "q", "r", "s")), Map.of("n", 3.0, "b", 10.5), 1);
    }

    @Test
    void jsonAndAvroOfTheSameEventBuildIdenticalBatches() throws RecordRejectedException {
        ClickEvent fromJson = events.decode(JSON.getBytes(StandardCharsets.UTF_8));
        ClickEvent fromAvro = events.decode(AvroSerde.of(ClickEvent.class).encode(sameEvent()));
        assertEquals(sameEvent(), fromJson);
        assertEquals(sameEvent(), fromAvro);
        FeatureBatch a = batchOf(fromJson);
        FeatureBatch b = batchOf(fromAvro);
        assertArrayEquals(a.rows(), b.rows());
        assertArrayEquals(a.values(), b.values());
        // and the batch is not the all-missing one
        assertEquals(12 + 1, a.rows()[4]);
        assertEquals((float) Math.log(4), a.values()[4]);
    }

    private static FeatureBatch batchOf(ClickEvent e) throws RecordRejectedException {
        BatchBuilder builder = new BatchBuilder(SPEC, new FeatureStats(), 1);
        builder.add(e);
        return builder.build();
    }

    @Test
    void jsonMayStartWithWhitespaceOrAByteOrderMark() throws Exception {
        ByteArrayOutputStream withBom = new ByteArrayOutputStream();
        withBom.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        withBom.write((" \r\n\t" + JSON + "\n").getBytes(StandardCharsets.UTF_8));
        assertEquals(sameEvent(), events.decode(withBom.toByteArray()));
    }

    @Test
    void labelsDecodeFromBothFormatsAndAreChecked() throws RecordRejectedException {
        InputDecoder<Label> labels = InputDecoder.labels(SPEC);
        Label label = new Label("e1", Instant.ofEpochMilli(9), 1);
        assertEquals(label, labels.decode(AvroSerde.of(Label.class).encode(label)));
        assertEquals(label, labels.decode("{\"event_id\":\"e1\",\"event_time\":9,\"label\":1}"
                .getBytes(StandardCharsets.UTF_8)));
        RecordRejectedException e = assertThrows(RecordRejectedException.class, () -> labels.decode(
                "{\"event_id\":\"e1\",\"event_time\":9}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(RejectReason.MISSING_FIELD, e.reason());
    }

    @Test
    void serdeWritesAvroAndReadsEitherFormatForKafka() {
        Serde<ClickEvent> serde = events.serde();
        byte[] written = serde.serializer().serialize("streamfm.events", sameEvent());
        assertEquals((byte) 0xC3, written[0]);
        assertEquals(sameEvent(), serde.deserializer().deserialize("streamfm.events", written));
        assertEquals(sameEvent(), serde.deserializer().deserialize("streamfm.events",
                JSON.getBytes(StandardCharsets.UTF_8)));
        assertNull(serde.deserializer().deserialize("streamfm.events", null));
        SerializationException e = assertThrows(SerializationException.class,
                () -> serde.deserializer().deserialize("streamfm.events", "{\"event_id\":\"e1\",\"event_time\":1,"
                        .concat("\"label\":3}").getBytes(StandardCharsets.UTF_8)));
        assertEquals(RejectReason.INVALID_LABEL, RecordRejectedException.find(e).orElseThrow().reason());
    }
}
