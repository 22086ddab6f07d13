package dev.streamfm.stream.serde;

import dev.streamfm.features.FeatureSpec;
import dev.streamfm.features.InputValidator;
import dev.streamfm.schema.ClickEvent;
import dev.streamfm.schema.Label;
import dev.streamfm.schema.LabeledExample;
import dev.streamfm.rejection.RecordRejectedException;
import dev.streamfm.rejection.RejectReason;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Decodes a value of an input topic, whichever way its producer wrote it: Avro single-object
 * encoding (starts 0xC3 0x01) or a JSON object (starts '{' after optional whitespace or a UTF-8
 * BOM). Then checks it against the limits and the feature spec, so what comes out is safe to
 * use. Thread-safe.
 */
public final class InputDecoder<T extends SpecificRecord> {

    /** Content checks run after decoding. */
    @FunctionalInterface
    private interface Check<T> {
        void check(T record) throws RecordRejectedException;
    }

    private final AvroSerde<T> avro;
    private final JsonRecordDecoder<T> json;
    private final int maxRecordBytes;
    private final Check<T> check;

    private InputDecoder(Class<T> type, int maxRecordBytes, Check<T> check) {
        this.avro = AvroSerde.of(type);
        this.json = JsonRecordDecoder.of(type);
        this.maxRecordBytes = maxRecordBytes;
        this.check = check;
    }

    /** Decoder for streamfm.events: ClickEvents checked against the spec and its limits. */
    public static InputDecoder<ClickEvent> events(FeatureSpec spec) {
        InputValidator validator = new InputValidator(spec);
        return new InputDecoder<>(ClickEvent.class, spec.limits().maxRecordBytes(), validator::validate);
    }

    /** Decoder for streamfm.labels: Labels checked against the spec's limits. */
    public static InputDecoder<Label> labels(FeatureSpec spec) {
        InputValidator validator = new InputValidator(spec);
        return new InputDecoder<>(Label.class, spec.limits().maxRecordBytes(), validator::validate);
    }

    /** Decoder for the examples topic: LabeledExamples whose event is checked like an input event. */
    public static InputDecoder<LabeledExample> examples(FeatureSpec spec) {
        InputValidator validator = new InputValidator(spec);
        // An example is its event plus a label and a time: a few bytes over the event's limit.
        return new InputDecoder<>(LabeledExample.class, spec.limits().maxRecordBytes() + 64, validator::validate);
    }

    public T decode(byte[] value) throws RecordRejectedException {
        if (value == null || value.length == 0) {
            throw new RecordRejectedException(RejectReason.EMPTY_RECORD, "value is "
                    + (value == null ? "null" : "empty") + "; expected an Avro or JSON " + avro.type().getSimpleName());
        }
        if (value.length > maxRecordBytes) {
            throw new RecordRejectedException(RejectReason.RECORD_TOO_LARGE, "value has " + value.length
                    + " bytes; at most limits.max_record_bytes = " + maxRecordBytes);
        }
        T record;
        if (value[0] == AvroSerde.MAGIC_0) {
            record = avro.decode(value);
        } else if (startsJsonObject(value)) {
            record = json.decode(value);
        } else {
            throw new RecordRejectedException(RejectReason.UNDECODABLE, "value starts with "
                    + AvroSerde.hex(value, 2) + ": neither Avro single-object encoding (0xC3 0x01) nor a JSON "
                    + "object ('{')");
        }
        check.check(record);
        return record;
    }

    private static boolean startsJsonObject(byte[] v) {
        int i = v.length >= 3 && v[0] == (byte) 0xEF && v[1] == (byte) 0xBB && v[2] == (byte) 0xBF ? 3 : 0;
        while (i < v.length && (v[i] == ' ' || v[i] == '\t' || v[i] == '\n' || v[i] == '\r')) {
            i++;
        }
        return i < v.length && v[i] == '{';
    }

    /**
     * For Kafka: null stays null (a tombstone), a rejected value throws a SerializationException
     * whose cause is the {@link RecordRejectedException}.
     */
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> bytes == null ? null : AvroSerde.orThrow(topic, this::decode, bytes);
    }

    /** Writes Avro, reads Avro or JSON. */
    public Serde<T> serde() {
        return Serdes.serdeFrom(avro.serializer(), deserializer());
    }
}
