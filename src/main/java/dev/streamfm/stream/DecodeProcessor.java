package dev.streamfm.stream;

import dev.streamfm.metrics.StreamfmMetrics;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import java.nio.charset.StandardCharsets;

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

    private final Decoder<T> decoder;
    private final StreamfmMetrics metrics;
    private final long maxFutureMs;
    private FixedKeyProcessorContext<String, Decoded<T>> context;

    DecodeProcessor(Decoder<T> decoder, StreamfmMetrics metrics, long maxFutureMs) {
        this.decoder = decoder;
        this.metrics = metrics;
        this.maxFutureMs = maxFutureMs;
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
            long ahead = record.timestamp() - context.currentSystemTimeMs();
            if (ahead > maxFutureMs) {
                throw new RecordRejectedException(RejectReason.TIMESTAMP_OUT_OF_RANGE, "record timestamp "
                        + record.timestamp() + " is " + ahead + " ms ahead of this machine's clock (at most "
                        + maxFutureMs + " allowed; microseconds sent as milliseconds?)");
            }
            context.forward(record.withValue(Decoded.ok(decoder.decode(record.value()))));
        } catch (RecordRejectedException e) {
            metrics.onDeadLetter(e.reason().label());
            byte[] key = record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8);
            context.forward(record.withValue(Decoded.rejected(new Rejection(e.reason().label(),
                    e.getClass().getName(), e.getMessage(), meta.topic(), meta.partition(), meta.offset(), key,
                    record.value()))));
        }
    }
}
