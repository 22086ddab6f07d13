package dev.streamfm.bench;

import dev.streamfm.schema.ClickEvent;
import dev.streamfm.schema.LabeledExample;
import dev.streamfm.stream.serde.AvroSerde;
import dev.streamfm.synth.SyntheticExample;
import dev.streamfm.synth.SyntheticGenerator;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;

/**
 * Writes a backlog before an application starts: synthetic events as a client would produce them
 * (key = event id, record time = event time), or labeled examples as the scorer writes them
 * (key = model name), with recent event times. Batched for speed: this is set-up, not measured.
 */
final class Preload {

    private Preload() {
    }

    static void events(Map<String, Object> clientProps, String topic, SyntheticGenerator generator, long count,
                       ProgressLine progress) {
        write(clientProps, topic, generator, count, ClickEvent.class, progress, (ex, time) -> {
            ClickEvent e = ClickEvent.newBuilder(ex.event()).setEventTime(time).build();
            return new ProducerRecord<>(topic, null, time.toEpochMilli(), e.getEventId(), e);
        });
    }

    static void examples(Map<String, Object> clientProps, String topic, String model, SyntheticGenerator generator,
                         long count, ProgressLine progress) {
        write(clientProps, topic, generator, count, LabeledExample.class, progress, (ex, time) -> {
            ClickEvent e = ClickEvent.newBuilder(ex.event()).setEventTime(time).build();
            LabeledExample l = LabeledExample.newBuilder().setEvent(e).setLabel(ex.label()).setLabeledAt(time).build();
            return new ProducerRecord<>(topic, null, time.toEpochMilli(), model, l);
        });
    }

    private static <T extends SpecificRecord> void write(Map<String, Object> clientProps, String topic,
                                                         SyntheticGenerator generator, long count, Class<T> type,
                                                         ProgressLine progress,
                                                         BiFunction<SyntheticExample, Instant,
                                                                 ProducerRecord<String, T>> record) {
        Map<String, Object> p = new HashMap<>(clientProps);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        // One request in flight: on a starved machine a timed-out request among several in flight
        // left the idempotent producer retrying OUT_OF_ORDER_SEQUENCE_NUMBER until its batches expired.
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        try (KafkaProducer<String, T> producer = new KafkaProducer<>(p, new StringSerializer(),
                AvroSerde.of(type).serializer())) {
            AtomicReference<Exception> failed = new AtomicReference<>();
            // The generator's event times start in 2024: the broker's time-based retention (7 days
            // by default) would delete such records minutes after they were written, before or
            // while they are read. The backlog keeps the generator's 1 ms spacing, ending now.
            long start = System.currentTimeMillis() - count;
            for (long i = 0; i < count && failed.get() == null; i++) {
                producer.send(record.apply(generator.example(i), Instant.ofEpochMilli(start + i)), (m, e) -> {
                    if (e != null) {
                        failed.compareAndSet(null, e);
                    }
                });
                long sent = i + 1;
                progress.maybe(() -> String.format(Locale.ROOT, "preloading %s: %,d/%,d", topic, sent, count));
            }
            producer.flush();
            if (failed.get() != null) {
                throw new IllegalStateException("preloading " + topic + " failed: " + failed.get(), failed.get());
            }
        }
    }
}
