package dev.streamfm.stream;

import dev.streamfm.rejection.RejectReason;
import dev.streamfm.rejection.Rejection;
import dev.streamfm.metrics.StreamfmMetrics;
import dev.streamfm.schema.DeadLetter;
import dev.streamfm.stream.serde.OutputFormat;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Kafka Streams exception handlers that send the failing record to the dead-letter topic, count
 * it, and let the stream go on. Input topics are decoded inside the topology (so their errors
 * carry precise reasons); these handlers catch what is left: a corrupt internal record, or an
 * exception a processor did not expect.
 */
public final class DeadLetterHandlers {

    /** Config key of the dead-letter topic name, passed in the Streams properties. */
    public static final String TOPIC_CONFIG = "streamfm.dlq.topic";
    /** Config key under which the StreamfmMetrics instance is passed in the Streams properties. */
    public static final String METRICS_CONFIG = "streamfm.metrics.instance";
    /** Config key of the dead letters' encoding (an {@link OutputFormat} label), passed in the Streams properties. */
    public static final String FORMAT_CONFIG = "streamfm.dlq.format";

    private static final Logger log = LoggerFactory.getLogger(DeadLetterHandlers.class);

    private DeadLetterHandlers() {
    }

    /** Shared state of both handlers: where dead letters go and what counts them. */
    private static final class Target {
        private Serializer<DeadLetter> serializer;
        private String topic;
        private StreamfmMetrics metrics;

        void configure(Map<String, ?> configs) {
            topic = String.valueOf(configs.get(TOPIC_CONFIG));
            metrics = (StreamfmMetrics) configs.get(METRICS_CONFIG);
            serializer = OutputFormat.parse(String.valueOf(configs.get(FORMAT_CONFIG))).serializer(DeadLetter.class);
        }

        List<ProducerRecord<byte[], byte[]>> deadLetter(String reason, ErrorHandlerContext ctx, byte[] key,
                                                        byte[] value, Exception e) {
            return deadLetter(reason, ctx, key, value, e, String.valueOf(e.getMessage()));
        }

        List<ProducerRecord<byte[], byte[]>> deadLetter(String reason, ErrorHandlerContext ctx, byte[] key,
                                                        byte[] value, Exception e, String message) {
            log.warn("Record {}-{}@{} sent to {} ({}): {}", ctx.topic(), ctx.partition(), ctx.offset(), topic, reason,
                    message);
            if (metrics != null) {
                metrics.onDeadLetter(reason);
            }
            DeadLetter dl = DeadLetters.of(new Rejection(reason, e.getClass().getName(), message,
                    ctx.topic(), ctx.partition(), ctx.offset(), key, value), Instant.now());
            return List.of(new ProducerRecord<>(topic, DeadLetters.keyOf(key), serializer.serialize(topic, dl)));
        }
    }

    /** A record on a topic with a typed serde (e.g. an internal topic) that cannot be deserialized. */
    public static final class Deserialization implements DeserializationExceptionHandler {
        private final Target target = new Target();

        @Override
        public void configure(Map<String, ?> configs) {
            target.configure(configs);
        }

        @Override
        public Response handleError(ErrorHandlerContext ctx, ConsumerRecord<byte[], byte[]> record, Exception e) {
            return Response.resume(target.deadLetter(RejectReason.UNDECODABLE.label(), ctx, record.key(),
                    record.value(), e));
        }
    }

    /**
     * A record the service derived (a prediction, an example, a changelog entry, a dead letter)
     * that the broker refused as too large or that could not be serialized: the thread would die
     * on it and meet it again after its replacement, so it is dropped, counted and reported on
     * the dead-letter topic with the input record that caused it. Retriable errors are retried;
     * anything else (authorization, a fenced producer) still fails, as it needs an operator.
     */
    public static final class Production implements ProductionExceptionHandler {
        private final Target target = new Target();

        @Override
        public void configure(Map<String, ?> configs) {
            target.configure(configs);
        }

        @Override
        public Response handleError(ErrorHandlerContext ctx, ProducerRecord<byte[], byte[]> record, Exception e) {
            if (e instanceof RecordTooLargeException) {
                int size = (record.key() == null ? 0 : record.key().length)
                        + (record.value() == null ? 0 : record.value().length);
                return Response.resume(target.deadLetter(RejectReason.DERIVED_RECORD_TOO_LARGE.label(), ctx,
                        ctx.sourceRawKey(), ctx.sourceRawValue(), e, "a record of " + size + " bytes for " + record.topic()
                                + " derived from this input exceeds the broker's limit: " + e.getMessage()
                                + "; lower limits.max_record_bytes in the feature spec or raise message.max.bytes"));
            }
            return e instanceof RetriableException ? Response.retry() : Response.fail();
        }

        @Override
        public Response handleSerializationError(ErrorHandlerContext ctx, ProducerRecord record, Exception e,
                                                 SerializationExceptionOrigin origin) {
            return Response.resume(target.deadLetter(RejectReason.PROCESSING_ERROR.label(), ctx, ctx.sourceRawKey(),
                    ctx.sourceRawValue(), e, "the " + origin.name().toLowerCase(java.util.Locale.ROOT) + " of a record for "
                            + record.topic() + " could not be serialized: " + e.getMessage()));
        }
    }

    /** An exception thrown while processing a record. */
    public static final class Processing implements ProcessingExceptionHandler {
        private final Target target = new Target();

        @Override
        public void configure(Map<String, ?> configs) {
            target.configure(configs);
        }

        @Override
        public Response handleError(ErrorHandlerContext ctx, Record<?, ?> record, Exception e) {
            return Response.resume(target.deadLetter(RejectReason.PROCESSING_ERROR.label(), ctx, ctx.sourceRawKey(),
                    ctx.sourceRawValue(), e));
        }
    }
}
