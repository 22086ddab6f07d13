package dev.streamfm.stream.serde;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.apache.avro.Conversion;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalType;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Writes a record as one plain JSON object with the field names of its Avro schema, the form
 * {@link JsonRecordDecoder} reads: timestamps as epoch milliseconds, a nullable value as the bare
 * value or null (not Avro's {"int": 1} encoding), and bytes (a dead letter's original key and
 * value) as base64 strings. Thread-safe.
 */
public final class JsonRecordEncoder<T extends SpecificRecord> {

    private static final JsonFactory JSON = new JsonFactory();

    private final Schema schema;
    private final SpecificData model;

    private JsonRecordEncoder(Class<T> type) {
        this.model = SpecificData.getForClass(type);
        this.schema = model.getSchema(type);
    }

    public static <T extends SpecificRecord> JsonRecordEncoder<T> of(Class<T> type) {
        return new JsonRecordEncoder<>(type);
    }

    public byte[] encode(T record) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            write(g, schema, record);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private void write(JsonGenerator g, Schema s, Object value) throws IOException {
        if (value == null) {
            g.writeNull();
            return;
        }
        Object raw = toRaw(s, value);
        switch (s.getType()) {
            case RECORD -> {
                IndexedRecord r = (IndexedRecord) raw;
                g.writeStartObject();
                for (Schema.Field f : s.getFields()) {
                    g.writeFieldName(f.name());
                    write(g, f.schema(), r.get(f.pos()));
                }
                g.writeEndObject();
            }
            case MAP -> {
                g.writeStartObject();
                for (Map.Entry<?, ?> e : ((Map<?, ?>) raw).entrySet()) {
                    g.writeFieldName(e.getKey().toString());
                    write(g, s.getValueType(), e.getValue());
                }
                g.writeEndObject();
            }
            case ARRAY -> {
                g.writeStartArray();
                for (Object item : (List<?>) raw) {
                    write(g, s.getElementType(), item);
                }
                g.writeEndArray();
            }
            case UNION -> write(g, s.getTypes().get(model.resolveUnion(s, value)), value);
            case STRING, ENUM -> g.writeString(raw.toString());
            case INT -> g.writeNumber((Integer) raw);
            case LONG -> g.writeNumber((Long) raw);
            case FLOAT -> g.writeNumber((Float) raw);
            case DOUBLE -> g.writeNumber((Double) raw);
            case BOOLEAN -> g.writeBoolean((Boolean) raw);
            case BYTES -> g.writeString(Base64.getEncoder().encodeToString(bytes((ByteBuffer) raw)));
            default -> throw new IllegalArgumentException(schema.getName() + ": plain JSON output does not support Avro "
                    + "type " + s.getType().getName());
        }
    }

    /** The value as Avro stores it: an Instant of a timestamp-millis field becomes its epoch milliseconds. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private Object toRaw(Schema s, Object value) {
        LogicalType logical = s.getLogicalType();
        Conversion conversion = logical == null ? null : model.getConversionFor(logical);
        return conversion == null ? value : Conversions.convertToRawType(value, s, logical, conversion);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer b = buffer.duplicate();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }
}
