package dev.streamfm.stream.serde;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.streamfm.rejection.RecordRejectedException;
import dev.streamfm.rejection.RejectReason;
import org.apache.avro.Conversion;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads a record from plain JSON as a script writes it ({"event_id":"e1","event_time":1700000000000,
 * "categorical":{"app":"x"}}), checked against the record's Avro schema: required properties
 * present, defaults for absent optional ones, types exact (an int must be an integer in range, a
 * timestamp epoch milliseconds), no unknown or repeated properties. Nullable unions are written as
 * the bare value or null, not in Avro's {"int": 1} JSON encoding. Thread-safe.
 */
public final class JsonRecordDecoder<T extends SpecificRecord> {

    private static final JsonFactory JSON = JsonFactory.builder()
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION) // keep record content out of messages
            .build();

    private final Class<T> type;
    private final Schema schema;
    private final SpecificData model;

    private JsonRecordDecoder(Class<T> type) {
        AvroTrust.ensure();
        this.type = type;
        this.model = SpecificData.getForClass(type);
        this.schema = model.getSchema(type);
        checkSupported(schema, schema.getName());
    }

    /** A decoder for the generated type; fails if its schema uses a type plain JSON cannot carry unambiguously. */
    public static <T extends SpecificRecord> JsonRecordDecoder<T> of(Class<T> type) {
        return new JsonRecordDecoder<>(type);
    }

    public T decode(byte[] bytes) throws RecordRejectedException {
        try (JsonParser p = JSON.createParser(bytes)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new RecordRejectedException(RejectReason.MALFORMED_JSON, "no JSON value in the record");
            }
            Object record = new Walk(p).value(schema);
            if (p.nextToken() != null) {
                throw new RecordRejectedException(RejectReason.MALFORMED_JSON, "more JSON after the " + schema.getName()
                        + " object at " + at(p.currentLocation()) + "; send one object per record");
            }
            return type.cast(record);
        } catch (JacksonException e) {
            // Jackson's own hint for NaN is a parser setting, meaningless to whoever wrote the record
            String problem = e.getOriginalMessage().startsWith("Non-standard token")
                    ? "JSON has no NaN or Infinity; leave a number out when it is unknown"
                    : shorten(e.getOriginalMessage());
            throw new RecordRejectedException(RejectReason.MALFORMED_JSON, "invalid JSON at " + at(e.getLocation())
                    + ": " + problem, e);
        } catch (IOException e) {
            throw new RecordRejectedException(RejectReason.MALFORMED_JSON, "unreadable JSON: " + e.getMessage(), e);
        }
    }

    private static String at(JsonLocation l) {
        return l == null ? "?" : "line " + l.getLineNr() + ", column " + l.getColumnNr();
    }

    /** One decode: the parser and the path of the value being read, for messages. */
    private final class Walk {
        private final JsonParser p;
        private final StringBuilder path = new StringBuilder();

        Walk(JsonParser p) {
            this.p = p;
        }

        /** Reads the value at the current token. */
        Object value(Schema s) throws IOException, RecordRejectedException {
            return value(s, s);
        }

        /** Reads a value of type s, described in messages as the declared type (a union names null too). */
        private Object value(Schema s, Schema declared) throws IOException, RecordRejectedException {
            JsonToken t = p.currentToken();
            Object raw = switch (s.getType()) {
                case RECORD -> record(s, declared);
                case MAP -> map(s, declared);
                case ARRAY -> array(s, declared);
                case STRING -> {
                    expect(t == JsonToken.VALUE_STRING, declared);
                    yield p.getText();
                }
                case INT -> {
                    expect(t == JsonToken.VALUE_NUMBER_INT, declared);
                    inRange(p.getNumberType() == JsonParser.NumberType.INT, declared);
                    yield p.getIntValue();
                }
                case LONG -> {
                    expect(t == JsonToken.VALUE_NUMBER_INT, declared);
                    inRange(p.getNumberType() != JsonParser.NumberType.BIG_INTEGER, declared);
                    yield p.getLongValue();
                }
                case DOUBLE -> {
                    expect(t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT, declared);
                    yield p.getDoubleValue();
                }
                case NULL -> {
                    expect(t == JsonToken.VALUE_NULL, declared);
                    yield null;
                }
                case UNION -> t == JsonToken.VALUE_NULL ? null : value(nonNullBranch(s), s);
                default -> throw new IllegalStateException("unsupported type " + s.getType() + " passed the check");
            };
            return convert(raw, s);
        }

        private Object record(Schema s, Schema declared) throws IOException, RecordRejectedException {
            expect(p.currentToken() == JsonToken.START_OBJECT, declared);
            IndexedRecord record = (IndexedRecord) model.newRecord(null, s);
            List<Schema.Field> fields = s.getFields();
            boolean[] seen = new boolean[fields.size()];
            int mark = path.length();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                Schema.Field f = s.getField(name);
                if (f == null) {
                    throw reject(RejectReason.UNKNOWN_FIELD, "has unknown property '" + shorten(name) + "'; "
                            + s.getName() + " has " + fields.stream().map(Schema.Field::name)
                            .collect(Collectors.joining(", ")));
                }
                if (seen[f.pos()]) {
                    throw reject(RejectReason.DUPLICATE_FIELD, "has property '" + name + "' twice");
                }
                seen[f.pos()] = true;
                p.nextToken();
                path.append(mark == 0 ? "" : ".").append(name);
                record.put(f.pos(), value(f.schema()));
                path.setLength(mark);
            }
            for (Schema.Field f : fields) {
                if (!seen[f.pos()]) {
                    if (!f.hasDefaultValue()) {
                        throw reject(RejectReason.MISSING_FIELD, "lacks required property '" + f.name() + "' ("
                                + describe(f.schema()) + ")");
                    }
                    // The default is shared and mutable (an empty map): give each record its own.
                    record.put(f.pos(), model.deepCopy(f.schema(), model.getDefaultValue(f)));
                }
            }
            return record;
        }

        private Map<String, Object> map(Schema s, Schema declared) throws IOException, RecordRejectedException {
            expect(p.currentToken() == JsonToken.START_OBJECT, declared);
            Map<String, Object> map = new HashMap<>();
            int mark = path.length();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                p.nextToken();
                path.append('.').append(shorten(key));
                Object v = value(s.getValueType());
                path.setLength(mark);
                if (map.put(key, v) != null) {
                    throw reject(RejectReason.DUPLICATE_FIELD, "has key '" + shorten(key) + "' twice");
                }
            }
            return map;
        }

        private List<Object> array(Schema s, Schema declared) throws IOException, RecordRejectedException {
            expect(p.currentToken() == JsonToken.START_ARRAY, declared);
            List<Object> list = new ArrayList<>();
            int mark = path.length();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                path.append('[').append(list.size()).append(']');
                list.add(value(s.getElementType()));
                path.setLength(mark);
            }
            return list;
        }

        private Object convert(Object raw, Schema s) {
            LogicalType logical = s.getLogicalType();
            Conversion<?> conversion = logical == null || raw == null ? null : model.getConversionFor(logical);
            return conversion == null ? raw : Conversions.convertToLogicalType(raw, s, logical, conversion);
        }

        private void expect(boolean ok, Schema s) throws RecordRejectedException {
            if (!ok) {
                throw reject(RejectReason.WRONG_TYPE, "must be " + describe(s) + ", got " + token(p.currentToken()));
            }
        }

        private void inRange(boolean ok, Schema declared) throws IOException, RecordRejectedException {
            if (!ok) {
                throw reject(RejectReason.WRONG_TYPE, "must be " + describe(declared) + ", got " + shorten(p.getText())
                        + " (out of range)");
            }
        }

        private RecordRejectedException reject(RejectReason reason, String problem) {
            return new RecordRejectedException(reason, (path.length() == 0 ? schema.getName() : path) + " " + problem);
        }
    }

    private static Schema nonNullBranch(Schema union) {
        for (Schema branch : union.getTypes()) {
            if (branch.getType() != Schema.Type.NULL) {
                return branch;
            }
        }
        throw new IllegalStateException("union without a non-null branch passed the check");
    }

    private static String describe(Schema s) {
        if (s.getLogicalType() instanceof LogicalTypes.TimestampMillis) {
            return "epoch milliseconds (an integer)";
        }
        return switch (s.getType()) {
            case RECORD -> "an object (" + s.getName() + ")";
            case MAP -> "an object of " + plural(describe(s.getValueType()));
            case ARRAY -> "a list of " + plural(describe(s.getElementType()));
            case STRING -> "a string";
            case INT -> "an integer (int)";
            case LONG -> "an integer (long)";
            case DOUBLE -> "a number";
            case NULL -> "null";
            case UNION -> describe(nonNullBranch(s)) + " or null";
            default -> s.getType().getName();
        };
    }

    private static String plural(String description) {
        return description.replaceFirst("^an? ", "") + "s";
    }

    private static String token(JsonToken t) {
        if (t == null) {
            return "nothing";
        }
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "a list";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.asString();
        };
    }

    /** Keeps a piece of record content short enough for a dead letter's message. */
    private static String shorten(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "...";
    }

    /** Plain JSON reads only what it can map without Avro's type tags. */
    private static void checkSupported(Schema s, String where) {
        switch (s.getType()) {
            case RECORD -> s.getFields().forEach(f -> checkSupported(f.schema(), where + "." + f.name()));
            case MAP -> checkSupported(s.getValueType(), where);
            case ARRAY -> checkSupported(s.getElementType(), where);
            case UNION -> {
                long nonNull = s.getTypes().stream().filter(b -> b.getType() != Schema.Type.NULL).count();
                if (s.getTypes().size() != 2 || nonNull != 1) {
                    throw new IllegalArgumentException(where + ": plain JSON input supports only [null, T] unions");
                }
                checkSupported(nonNullBranch(s), where);
            }
            case STRING, INT, LONG, DOUBLE, NULL -> {
            }
            default -> throw new IllegalArgumentException(where + ": plain JSON input does not support Avro type "
                    + s.getType().getName());
        }
    }
}
