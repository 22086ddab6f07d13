package dev.streamfm.synth;

import dev.streamfm.config.Topics;
import dev.streamfm.evaluation.RollingWindow;
import dev.streamfm.schema.ClickEvent;
import dev.streamfm.schema.Label;
import dev.streamfm.stream.serde.AvroSerde;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Produces a synthetic click stream to Kafka in real time: events at a steady rate, stamped with
 * the wall clock, and for every click a Label that arrives a random delay later, as clicks do.
 * Non-clicks send nothing: the labeling topology turns a window without a click into a negative.
 */
public final class TrafficProducer implements AutoCloseable {

    /** A label due to be sent at a wall-clock time. */
    private record DueLabel(long dueAt, String eventId) {
    }

    private final KafkaProducer<String, ClickEvent> events;
    private final KafkaProducer<String, Label> labels;
    private final KafkaProducer<String, byte[]> raw;
    private final int badEvery;
    private final Topics topics;
    private final SyntheticGenerator generator;
    private final double rate;
    private final long maxLabelDelayMs;
    private final SplittableRandom random;
    private final PriorityQueue<DueLabel> due = new PriorityQueue<>((a, b) -> Long.compare(a.dueAt, b.dueAt));
    private final RollingWindow bayes;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong sentEvents = new AtomicLong();
    private final AtomicLong sentLabels = new AtomicLong();

    /**
     * @param badEvery every badEvery-th event is followed by a malformed record (0 = never), so the
     *                 dead-letter path is exercised and visible in the demo
     */
    public TrafficProducer(Map<String, Object> clientProps, Topics topics, SyntheticGenerator generator, double rate,
                           Duration maxLabelDelay, int bayesWindow, int badEvery) {
        Map<String, Object> p = new HashMap<>(clientProps);
        p.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 2);
        this.events = new KafkaProducer<>(p, new StringSerializer(), serializer(ClickEvent.class));
        this.labels = new KafkaProducer<>(p, new StringSerializer(), serializer(Label.class));
        this.raw = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        this.badEvery = badEvery;
        this.topics = topics;
        this.generator = generator;
        this.rate = rate;
        this.maxLabelDelayMs = maxLabelDelay.toMillis();
        this.random = new SplittableRandom(generator.config().seed() ^ 0x5DEECE66DL);
        this.bayes = new RollingWindow(bayesWindow);
    }

    private static <T extends org.apache.avro.specific.SpecificRecord> Serializer<T> serializer(Class<T> type) {
        return AvroSerde.of(type).serializer();
    }

    /**
     * Sends events [0, count) (count <= 0: until {@link #stop()}), paced at the rate, then the
     * labels still due. Blocks; call from its own thread.
     */
    public void run(long count) {
        long start = System.nanoTime();
        long index = 0;
        while (running.get() && (count <= 0 || index < count)) {
            long dueNanos = start + (long) (index * 1e9 / rate);
            long wait = dueNanos - System.nanoTime();
            if (wait > 0) {
                sendDueLabels(System.currentTimeMillis());
                sleepNanos(Math.min(wait, 5_000_000));
                continue;
            }
            send(generator.example(index));
            if (badEvery > 0 && index % badEvery == badEvery - 1) {
                sendMalformed(index);
            }
            index++;
        }
        while (running.get() && !due.isEmpty()) {
            sendDueLabels(System.currentTimeMillis());
            sleepNanos(5_000_000);
        }
        events.flush();
        labels.flush();
        raw.flush();
    }

    private void send(SyntheticExample ex) {
        long now = System.currentTimeMillis();
        ClickEvent e = ClickEvent.newBuilder(ex.event()).setEventTime(Instant.ofEpochMilli(now)).build();
        events.send(new ProducerRecord<>(topics.events(), null, now, e.getEventId(), e));
        sentEvents.incrementAndGet();
        synchronized (bayes) {
            bayes.add((float) ex.trueProbability(), ex.label());
        }
        if (ex.label() == 1) {
            due.add(new DueLabel(now + random.nextLong(maxLabelDelayMs + 1), e.getEventId()));
        }
        sendDueLabels(now);
    }

    /** Alternates a truncated JSON event and bytes in no known format. */
    private void sendMalformed(long index) {
        String key = "malformed-" + index;
        byte[] value = (index / badEvery) % 2 == 0
                ? ("{\"event_id\":\"" + key + "\",\"event_time\":").getBytes(java.nio.charset.StandardCharsets.UTF_8)
                : new byte[]{0x00, 0x13, 0x37, (byte) index};
        raw.send(new ProducerRecord<>(topics.events(), key, value));
    }

    private void sendDueLabels(long now) {
        while (!due.isEmpty() && due.peek().dueAt <= now) {
            DueLabel d = due.poll();
            Label l = new Label(d.eventId, Instant.ofEpochMilli(d.dueAt), 1);
            labels.send(new ProducerRecord<>(topics.labels(), null, d.dueAt, d.eventId, l));
            sentLabels.incrementAndGet();
        }
    }

    private static void sleepNanos(long nanos) {
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public void stop() {
        running.set(false);
    }

    public long sentEvents() {
        return sentEvents.get();
    }

    public long sentLabels() {
        return sentLabels.get();
    }

    /** Bayes-optimal AUC and logloss over the last events sent (the ceiling for any model). */
    public dev.streamfm.evaluation.Metrics bayes() {
        synchronized (bayes) {
            return bayes.metrics();
        }
    }

    @Override
    public void close() {
        stop();
        events.close(Duration.ofSeconds(5));
        labels.close(Duration.ofSeconds(5));
        raw.close(Duration.ofSeconds(5));
    }
}
