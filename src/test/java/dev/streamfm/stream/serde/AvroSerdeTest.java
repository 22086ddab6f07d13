package dev.streamfm.stream.serde;

import dev.streamfm.schema.ClickEvent;
import dev.streamfm.rejection.RecordRejectedException;
import dev.streamfm.rejection.RejectReason;
import org.apache.avro.AvroTypeException;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import java.io.EOFException;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AvroSerdeTest {

    @Test
    void everySchemaRoundTripsAndInteroperatesWithAvrosOwnCoders() throws Exception {
        for (SpecificRecord record : SampleRecords.everySchema()) {
            roundTrip(record);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends SpecificRecord> void roundTrip(T record) throws Exception {
        Class<T> type = (Class<T>) record.getClass();
        AvroSerde<T> serde = AvroSerde.of(type);
        byte[] bytes = serde.encode(record);
        assertEquals(record, serde.decode(bytes));
        assertEquals(record, serde.deserializer().deserialize("t", serde.serializer().serialize("t", record)));

        // header: C3 01 + little-endian CRC-64-AVRO fingerprint of the schema (Avro spec)
        long fingerprint = SchemaNormalization.parsingFingerprint64(record.getSchema());
        assertEquals((byte) 0xC3, bytes[0]);
        assertEquals(0x01, bytes[1]);
        assertEquals(fingerprint, ByteBuffer.wrap(bytes, 2, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong());

        BinaryMessageDecoder<T> avrosDecoder = (BinaryMessageDecoder<T>) type.getMethod("getDecoder").invoke(null);
        assertEquals(record, avrosDecoder.decode(bytes));
        Method toByteBuffer = type.getMethod("toByteBuffer");
        ByteBuffer avrosBytes = (ByteBuffer) toByteBuffer.invoke(record);
        byte[] raw = new byte[avrosBytes.remaining()];
        avrosBytes.get(raw);
        assertEquals(record, serde.decode(raw));
    }

    @Test
    void onlyTheCurrentSchemasSingleObjectEncodingIsKeptAsItCame() {
        AvroSerde<ClickEvent> serde = AvroSerde.of(ClickEvent.class);
        for (SpecificRecord record : SampleRecords.everySchema()) {
            if (record instanceof ClickEvent e) {
                byte[] bytes = serde.encode(e);
                assertTrue(serde.isCurrentEncoding(bytes));
                byte[] otherSchema = bytes.clone();
                otherSchema[9] ^= 1; // the fingerprint's last byte: an earlier or foreign schema
                assertFalse(serde.isCurrentEncoding(otherSchema));
                assertFalse(serde.isCurrentEncoding(Arrays.copyOf(bytes, AvroSerde.HEADER_LENGTH - 1)));
            }
        }
        assertFalse(serde.isCurrentEncoding("{\"event_id\":\"e\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertFalse(serde.isCurrentEncoding(null));
    }

    @Test
    void nullIsATombstoneBothWays() {
        AvroSerde<ClickEvent> serde = AvroSerde.of(ClickEvent.class);
        assertNull(serde.serializer().serialize("t", null));
        assertNull(serde.deserializer().deserialize("t", null));
    }

    @Test
    void deserializerThrowsKafkasExceptionWithTheRejectionAsCause() {
        AvroSerde<ClickEvent> serde = AvroSerde.of(ClickEvent.class);
        byte[] label = AvroSerde.of(dev.streamfm.schema.Label.class).encode(SampleRecords.label());
        SerializationException e = assertThrows(SerializationException.class,
                () -> serde.deserializer().deserialize("streamfm.events", label));
        RecordRejectedException rejection = RecordRejectedException.find(e).orElseThrow();
        assertEquals(RejectReason.SCHEMA_MISMATCH, rejection.reason());
        assertTrue(e.getMessage().startsWith("topic streamfm.events: rejected (schema_mismatch): value is a Label"),
                e.getMessage());
    }

    @Test
    void encodingAnIncompleteRecordNamesTheField() {
        ClickEvent broken = SampleRecords.clickEvent();
        broken.setEventId(null);
        AvroSerde<ClickEvent> serde = AvroSerde.of(ClickEvent.class);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> serde.encode(broken));
        assertTrue(e.getMessage().startsWith("cannot encode ClickEvent: ") && e.getMessage().contains("event_id"),
                e.getMessage());
        SerializationException s = assertThrows(SerializationException.class,
                () -> serde.serializer().serialize("t", broken));
        assertTrue(s.getMessage().contains("event_id"), s.getMessage());
    }

    @Test
    void avroRuntimeFailuresMapToReasons() {
        assertEquals(RejectReason.UNTRUSTED_CLASS,
                AvroSerde.rejection("ClickEvent", new SecurityException("Forbidden dev.x.Y!")).reason());
        assertEquals(RejectReason.SCHEMA_MISMATCH,
                AvroSerde.rejection("ClickEvent", new AvroTypeException("Found a, expecting b")).reason());
        assertEquals(RejectReason.TRUNCATED, AvroSerde.rejection("ClickEvent", new EOFException()).reason());
        RecordRejectedException corrupt = AvroSerde.rejection("ClickEvent", new IOException("Invalid int encoding"));
        assertEquals(RejectReason.UNDECODABLE, corrupt.reason());
        assertEquals("corrupt Avro body of ClickEvent: IOException Invalid int encoding", corrupt.getMessage());
        assertSame(IOException.class, corrupt.getCause().getClass());
    }

    @Test
    void decodedRecordsDoNotShareState() throws RecordRejectedException {
        AvroSerde<ClickEvent> serde = AvroSerde.of(ClickEvent.class);
        byte[] bytes = serde.encode(SampleRecords.clickEvent());
        ClickEvent first = serde.decode(bytes);
        first.getCategorical().put("app", "changed");
        assertEquals("x", serde.decode(Arrays.copyOf(bytes, bytes.length)).getCategorical().get("app"));
    }

    /**
     * The state stores (the trainer's checkpoint, the scorer's held events) and the compacted
     * model topic keep records written before a schema change: they are read with the schema
     * they were written with, the new field taking its default.
     */
    @Test
    void aRecordWrittenWithAnEarlierSchemaIsReadWithItsWriterSchema() throws Exception {
        byte[] bytes = oldBlock(1, r -> { });
        dev.streamfm.schema.ModelBlock read = AvroSerde.of(dev.streamfm.schema.ModelBlock.class).decode(bytes);
        assertEquals("w", read.getVariable());
        assertEquals(768L, read.getFirstRow());
        assertEquals(42L, read.getVersion());
        assertEquals(0L, read.getFingerprint(), "written before blocks carried a fingerprint");
    }

    /** Blocks written before they carried their version's size and quality (ModelBlock-2) decode with the defaults. */
    @Test
    void aModelBlockOfSchemaTwoDecodesWithoutVersionSizeOrQuality() throws Exception {
        byte[] bytes = oldBlock(2, r -> r.put("fingerprint", 7L));
        dev.streamfm.schema.ModelBlock read = AvroSerde.of(dev.streamfm.schema.ModelBlock.class).decode(bytes);
        assertEquals(42L, read.getVersion());
        assertEquals(7L, read.getFingerprint());
        assertEquals(0, read.getVersionBlocks(), "written before blocks carried their version's size");
        assertEquals(null, read.getOnlineAuc());
        assertEquals(0L, read.getQualityExamples());
    }

    /** A model block as the history schema ModelBlock-{@code version} wrote it, with {@code more} fields set. */
    private byte[] oldBlock(int version, java.util.function.Consumer<org.apache.avro.generic.GenericRecord> more)
            throws Exception {
        org.apache.avro.Schema schema;
        try (var in = getClass().getResourceAsStream("/dev/streamfm/schema-history/ModelBlock-" + version + ".avsc")) {
            schema = new org.apache.avro.Schema.Parser().parse(in);
        }
        var old = new org.apache.avro.generic.GenericData.Record(schema);
        old.put("model", "m");
        old.put("variable", "w");
        old.put("block", 3);
        old.put("first_row", 768L);
        old.put("shape", java.util.List.of(1024L, 4L));
        old.put("values", ByteBuffer.wrap(new byte[16]));
        old.put("version", 42L);
        old.put("written_at", 1_700_000_000_000L);
        more.accept(old);
        return new org.apache.avro.message.BinaryMessageEncoder<org.apache.avro.generic.GenericRecord>(
                org.apache.avro.generic.GenericData.get(), schema).encode(old).array();
    }
}
