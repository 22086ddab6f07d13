package dev.streamfm.stream.serde;

import dev.streamfm.rejection.RecordRejectedException;
import dev.streamfm.rejection.RejectReason;
import org.apache.avro.AvroTypeException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Avro single-object encoding (0xC3 0x01, 8-byte little-endian CRC-64-AVRO fingerprint of the
 * writer schema, binary body) of one generated record type, as a Kafka Serde. The header is read
 * here rather than by Avro's BinaryMessageDecoder so that every failure becomes a
 * {@link RecordRejectedException} with its reason, and bytes after a complete record (which
 * Avro ignores) are rejected. Thread-safe.
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T> {

    static final int HEADER_LENGTH = 10;
    static final byte MAGIC_0 = (byte) 0xC3;
    static final byte MAGIC_1 = 0x01;

    private final Class<T> type;
    private final String typeName;
    private final long fingerprint;
    private final SpecificData model;
    private final Schema schema;
    private final SpecificDatumReader<T> reader;
    /** Readers of records written with an earlier version of the schema, by writer fingerprint. */
    private final Map<Long, SpecificDatumReader<T>> earlierReaders = new ConcurrentHashMap<>();
    private final BinaryMessageEncoder<T> encoder;

    private AvroSerde(Class<T> type) {
        AvroTrust.ensure();
        SpecificData model = SpecificData.getForClass(type);
        Schema schema = model.getSchema(type);
        this.model = model;
        this.schema = schema;
        this.type = type;
        this.typeName = schema.getName();
        this.fingerprint = KnownSchemas.fingerprint(schema);
        this.reader = new SpecificDatumReader<>(schema, schema, model);
        this.encoder = new BinaryMessageEncoder<>(model, schema);
    }

    public static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type) {
        return new AvroSerde<>(type);
    }

    public Class<T> type() {
        return type;
    }

    public byte[] encode(T record) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try {
            encoder.encode(record, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cannot encode " + typeName + ": " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    /**
     * Whether these bytes are this record in Avro single-object encoding of the current schema,
     * so that, once they decoded, {@link #encode} of the record would give them back (up to the
     * order of map entries, which decoding does not keep).
     */
    public boolean isCurrentEncoding(byte[] bytes) {
        return bytes != null && bytes.length >= HEADER_LENGTH && bytes[0] == MAGIC_0 && bytes[1] == MAGIC_1
                && littleEndianLong(bytes, 2) == fingerprint;
    }

    public T decode(byte[] bytes) throws RecordRejectedException {
        if (bytes == null || bytes.length == 0) {
            throw new RecordRejectedException(RejectReason.EMPTY_RECORD, "value is "
                    + (bytes == null ? "null" : "empty") + "; expected an Avro " + typeName);
        }
        if (bytes[0] != MAGIC_0 || (bytes.length > 1 && bytes[1] != MAGIC_1)) {
            throw new RecordRejectedException(RejectReason.UNDECODABLE, "value starts with " + hex(bytes, 2)
                    + ", not the Avro single-object header 0xC3 0x01");
        }
        if (bytes.length < HEADER_LENGTH) {
            throw new RecordRejectedException(RejectReason.TRUNCATED, "value has " + bytes.length
                    + " bytes, fewer than the " + HEADER_LENGTH + " of an Avro single-object header");
        }
        long writer = littleEndianLong(bytes, 2);
        SpecificDatumReader<T> readWith = writer == fingerprint ? reader : earlierReader(writer);
        if (readWith == null) {
            throw wrongSchema(writer);
        }
        BinaryDecoder in = DecoderFactory.get().binaryDecoder(bytes, HEADER_LENGTH, bytes.length - HEADER_LENGTH,
                null);
        T record;
        try {
            record = readWith.read(null, in);
            if (!in.isEnd()) {
                throw new RecordRejectedException(RejectReason.TRAILING_BYTES, in.inputStream().available()
                        + " bytes follow a complete " + typeName + "; one record per value");
            }
        } catch (IOException | RuntimeException e) {
            throw rejection(typeName, e);
        }
        return record;
    }

    /** A reader resolving an earlier version of this record's schema to the current one, or null. */
    private SpecificDatumReader<T> earlierReader(long writer) {
        Schema earlier = KnownSchemas.earlier(writer);
        if (earlier == null || !earlier.getFullName().equals(schema.getFullName())) {
            return null;
        }
        return earlierReaders.computeIfAbsent(writer, w -> new SpecificDatumReader<>(earlier, schema, model));
    }

    private RecordRejectedException wrongSchema(long writer) {
        String other = KnownSchemas.nameOf(writer);
        if (other != null) {
            return new RecordRejectedException(RejectReason.SCHEMA_MISMATCH, "value is a " + other + ", expected a "
                    + typeName + "; check the topic the producer writes to");
        }
        return new RecordRejectedException(RejectReason.UNKNOWN_SCHEMA, String.format(
                "writer schema fingerprint 0x%016x is not the %s schema (0x%016x); the producer uses another or a "
                        + "newer schema", writer, typeName, fingerprint));
    }

    /** The reason for an exception Avro threw while reading a body. */
    static RecordRejectedException rejection(String typeName, Exception e) {
        String what = typeName + ": " + e.getClass().getSimpleName() + " " + e.getMessage();
        if (e instanceof EOFException) {
            return new RecordRejectedException(RejectReason.TRUNCATED, "Avro body ends before a complete " + typeName,
                    e);
        }
        if (e instanceof AvroTypeException) {
            return new RecordRejectedException(RejectReason.SCHEMA_MISMATCH, "cannot read " + what, e);
        }
        if (e instanceof SecurityException) {
            return new RecordRejectedException(RejectReason.UNTRUSTED_CLASS, "Avro does not trust the class of "
                    + what + "; AvroTrust.ensure() must run before decoding", e);
        }
        // IOExceptions (bad varints), AvroRuntimeExceptions (limits, bad lengths) and the odd
        // runtime exception Avro lets through on garbage all mean a corrupt body.
        return new RecordRejectedException(RejectReason.UNDECODABLE, "corrupt Avro body of " + what, e);
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, record) -> {
            if (record == null) {
                return null;
            }
            try {
                return encode(record);
            } catch (IllegalArgumentException e) {
                throw new SerializationException("topic " + topic + ": " + e.getMessage(), e);
            }
        };
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> bytes == null ? null : orThrow(topic, this::decode, bytes);
    }

    /** Decodes for a Kafka Deserializer, which must throw unchecked: the rejection is the cause. */
    static <T> T orThrow(String topic, Decoding<T> decoding, byte[] bytes) {
        try {
            return decoding.decode(bytes);
        } catch (RecordRejectedException e) {
            throw new SerializationException("topic " + topic + ": rejected (" + e.reason().label() + "): "
                    + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    interface Decoding<T> {
        T decode(byte[] bytes) throws RecordRejectedException;
    }

    static String hex(byte[] bytes, int max) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(max, bytes.length); i++) {
            s.append(i == 0 ? "" : " ").append(String.format("0x%02X", bytes[i]));
        }
        return s.toString();
    }

    private static long littleEndianLong(byte[] b, int at) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = v << 8 | (b[at + i] & 0xffL);
        }
        return v;
    }
}
