package dev.streamfm.stream;

import dev.streamfm.rejection.RecordRejectedException;
import dev.streamfm.rejection.Rejection;
import dev.streamfm.metrics.StreamfmMetrics;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;

/**
 * Decodes and validates raw input records. A record that fails is not thrown at Kafka Streams
 * (which would stop the task) but passed on as a rejection, so the topology routes it to the
 * dead-letter topic and goes on with the next record.
 */
final class DecodeProcessor<T> implements FixedKeyProcessor<String, byte[], Decoded<T>> {

    /** Turns bytes into a valid value or says why not. */
    @FunctionalInterface
    interface Decoder<T> {
        T decode(byte[] bytes) throws RecordRejectedException;
    }

    /** Checks of a decoded value that need its Kafka record too: the key and the timestamp. */
    @FunctionalInterface
    interface RecordCheck<T> {
        void check(String key, long timestamp, T value) throws RecordRejectedException;
    }

    private final Decoder<T> decoder;
    private final RecordCheck<T> recordCheck;
    private final StreamfmMetrics metrics;
    private final TimestampBounds bounds;
    private FixedKeyProcessorContext<String, Decoded<T>> context;

    DecodeProcessor(Decoder<T> decoder, RecordCheck<T> recordCheck, StreamfmMetrics metrics, TimestampBounds bounds) {
        this.decoder = decoder;
        this.recordCheck = recordCheck;
        this.metrics = metrics;
        this.bounds = bounds;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, Decoded<T>> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, byte[]> record) {
        RecordMetadata meta = context.recordMetadata().orElseThrow();
        metrics.onEventsConsumed(meta.topic(), 1);
        try {
            OptionalLong invalid = InputTimestamps.invalidTimestamp(record.headers());
            if (invalid.isPresent()) {
                throw TimestampBounds.invalid(invalid.getAsLong());
            }
            bounds.checkAgainstClock(record.timestamp(), context.currentSystemTimeMs());
            T value = decoder.decode(record.value());
            recordCheck.check(record.key(), record.timestamp(), value);
            context.forward(record.withValue(Decoded.ok(value)));
        } catch (RecordRejectedException e) {
            metrics.onDeadLetter(e.reason().label());
            byte[] key = record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8);
            context.forward(record.withValue(Decoded.rejected(new Rejection(e.reason().label(),
                    e.getClass().getName(), e.getMessage(), meta.topic(), meta.partition(), meta.offset(), key,
                    record.value()))));
        }
    }
}
