package dev.streamfm.replay;

import dev.streamfm.config.Topics;
import dev.streamfm.schema.ClickEvent;
import dev.streamfm.schema.Label;
import dev.streamfm.stream.serde.AvroSerde;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sends a replay to Kafka as producers in production would: key = event id, record timestamp =
 * event time (labels: label time), Avro single-object encoding. The producer blocks when its
 * buffer is full, so an unpaced replay goes as fast as the broker takes it.
 */
public final class KafkaReplaySink implements ReplaySink, AutoCloseable {

    private final KafkaProducer<String, ClickEvent> events;
    private final KafkaProducer<String, Label> labels;
    private final Topics topics;
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<Exception> firstFailure = new AtomicReference<>();

    public KafkaReplaySink(Map<String, Object> clientProps, Topics topics) {
        Map<String, Object> p = new HashMap<>(clientProps);
        p.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
        this.events = new KafkaProducer<>(p, new StringSerializer(), AvroSerde.of(ClickEvent.class).serializer());
        this.labels = new KafkaProducer<>(p, new StringSerializer(), AvroSerde.of(Label.class).serializer());
        this.topics = topics;
    }

    @Override
    public void event(ClickEvent e) {
        events.send(new ProducerRecord<>(topics.events(), null, e.getEventTime().toEpochMilli(), e.getEventId(), e),
                onFailure());
    }

    @Override
    public void label(Label l) {
        labels.send(new ProducerRecord<>(topics.labels(), null, l.getEventTime().toEpochMilli(), l.getEventId(), l),
                onFailure());
    }

    /** A record the broker refused is counted, so the replay cannot end as if all went well. */
    private Callback onFailure() {
        return (metadata, e) -> {
            if (e != null) {
                failed.incrementAndGet();
                firstFailure.compareAndSet(null, e);
            }
        };
    }

    @Override
    public void flush() {
        events.flush();
        labels.flush();
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " records were not accepted by Kafka; the first: "
                    + firstFailure.get().getMessage(), firstFailure.get());
        }
    }

    @Override
    public void close() {
        events.close(Duration.ofSeconds(10));
        labels.close(Duration.ofSeconds(10));
    }
}
