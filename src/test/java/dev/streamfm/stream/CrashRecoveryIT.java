package dev.streamfm.stream;

import dev.streamfm.config.Topics;
import dev.streamfm.kafka.EmbeddedKafkaBroker;
import dev.streamfm.schema.ClickEvent;
import dev.streamfm.schema.LabeledExample;
import dev.streamfm.schema.ModelBlock;
import dev.streamfm.schema.Prediction;
import dev.streamfm.stream.serde.AvroSerde;
import dev.streamfm.synth.SynthConfig;
import dev.streamfm.synth.SynthShape;
import dev.streamfm.synth.SyntheticExample;
import dev.streamfm.synth.SyntheticGenerator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `serve` in its own JVM, killed with SIGKILL twice mid-stream and restarted (README, Exactly-once and crashes):
 * under exactly-once every event has exactly one committed prediction and the trainer ends with
 * the parameters of an uninterrupted run on the same examples; under at-least-once nothing is
 * lost.
 */
class CrashRecoveryIT {

    private static final int EVENTS = 24_000;
    private static final int BATCH = 256;
    private static final int EXAMPLES = 60 * BATCH;

    private static EmbeddedKafkaBroker broker;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void scorerUnderExactlyOnceGivesEveryEventExactlyOnePrediction() throws Exception {
        Map<String, Integer> counts = scoreWithTwoKills("crash-eos", "exactly_once_v2");
        assertEquals(EVENTS, counts.size(), "events with a committed prediction");
        counts.forEach((id, n) -> assertEquals(1, n, "predictions of " + id));
    }

    @Test
    void scorerUnderAtLeastOnceLosesNothing() throws Exception {
        Map<String, Integer> counts = scoreWithTwoKills("crash-alos", "at_least_once");
        assertEquals(EVENTS, counts.size(), "events with at least one prediction");
    }

    @Test
    void trainerUnderExactlyOnceEndsWithTheParametersOfAnUninterruptedRun() throws Exception {
        Topics crashed = new Topics("crash-train");
        Topics clean = new Topics("clean-train");
        createTopics(crashed);
        createTopics(clean);
        Map<String, String> settings = Map.of("streamfm.training.batch.size", Integer.toString(BATCH),
                "streamfm.training.batch.max.ms", "0", "streamfm.processing.guarantee", "exactly_once_v2",
                "streamfm.metrics.port", "0");
        AtomicBoolean producing = new AtomicBoolean(true);
        Thread producer = new Thread(() -> produceExamples(producing, crashed, clean));
        producer.start();
        long steps = EXAMPLES / BATCH;
        Map<String, ModelBlock> crashedModel;
        try {
            Path log = tmp.resolve("crashed.log");
            Map<String, String> crashedSettings = with(settings, crashed, tmp.resolve("crashed"));
            long[] killAtVersion = {steps / 5, steps * 3 / 5};
            for (long version : killAtVersion) {
                try (ServeProcess p = ServeProcess.start(broker.bootstrapServers(), "trainer", crashedSettings, log)) {
                    awaitModelAtVersion(crashed, version, p, false);
                    Thread.sleep(300); // mid-batch, between checkpoints
                    p.kill();
                }
            }
            try (ServeProcess last = ServeProcess.start(broker.bootstrapServers(), "trainer", crashedSettings, log)) {
                awaitLogLines(log, "Trainer for model", 3, Duration.ofSeconds(240));
                crashedModel = awaitModelAtVersion(crashed, steps, last);
            }
            java.util.List<String> restores = java.nio.file.Files.readAllLines(log).stream()
                    .filter(l -> l.contains("Trainer for model")).toList();
            assertTrue(restores.size() >= 3 && restores.get(1).matches(".*checkpoint at step [1-9].*")
                            && restores.get(2).matches(".*checkpoint at step [1-9].*"),
                    "both restarts resumed from a checkpoint taken before the kill:\n" + restores);
        } finally {
            producing.set(false);
            producer.join();
        }
        // The uninterrupted reference runs afterwards, on the same examples, so the two runs do not
        // compete for the 2 cores (restarts under that load took minutes).
        Map<String, ModelBlock> cleanModel;
        try (ServeProcess reference = ServeProcess.start(broker.bootstrapServers(), "trainer",
                with(settings, clean, tmp.resolve("clean")), tmp.resolve("clean.log"))) {
            cleanModel = awaitModelAtVersion(clean, steps, reference);
        }
        ServeRuns.assertSameParameters(cleanModel, crashedModel, "two crashes");
    }

    private Map<String, Integer> scoreWithTwoKills(String prefix, String guarantee) throws Exception {
        Topics topics = new Topics(prefix);
        createTopics(topics);
        Map<String, String> settings = with(Map.of("streamfm.processing.guarantee", guarantee,
                "streamfm.metrics.port", "0"), topics, tmp.resolve(prefix));
        AtomicBoolean producing = new AtomicBoolean(true);
        Thread producer = new Thread(() -> produceEvents(topics, producing));
        Path log = tmp.resolve(prefix + ".log");
        Map<String, Integer> counts = new HashMap<>();
        try (TopicTail<Prediction> predictions = new TopicTail<>(broker.bootstrapServers(), topics.predictions(),
                AvroSerde.of(Prediction.class).deserializer(), true)) {
            producer.start();
            int[] killAt = {EVENTS / 6, EVENTS / 2};
            for (int threshold : killAt) {
                try (ServeProcess p = ServeProcess.start(broker.bootstrapServers(), "scorer", settings, log)) {
                    assertTrue(predictions.pollUntil(() -> predictions.records().size() >= threshold,
                            Duration.ofSeconds(120)), () -> "no progress before the kill:\n" + p.logTail());
                    p.kill();
                }
            }
            try (ServeProcess p = ServeProcess.start(broker.bootstrapServers(), "scorer", settings, log)) {
                boolean done = predictions.pollUntil(() -> distinct(predictions) >= EVENTS, Duration.ofSeconds(180));
                assertTrue(done, () -> "only " + distinct(predictions) + " of " + EVENTS + " events scored:\n"
                        + p.logTail());
                Thread.sleep(2000);
                predictions.poll();
            }
            for (ConsumerRecord<String, Prediction> r : predictions.records()) {
                counts.merge(r.value().getEventId(), 1, Integer::sum);
            }
        } finally {
            producing.set(false);
            producer.join();
        }
        return counts;
    }

    private static <V> KafkaProducer<String, V> producer(Class<V> type,
                                                         Function<Class<V>, org.apache.kafka.common.serialization.Serializer<V>> s) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(),
                s.apply(type));
    }

    /** EVENTS events at 1,500/s, so the kills land mid-stream. */
    private static void produceEvents(Topics topics, AtomicBoolean producing) {
        SyntheticGenerator gen = new SyntheticGenerator(SynthShape.FRAPPE_LIKE, SynthConfig.defaults(7));
        try (KafkaProducer<String, ClickEvent> p = producer(ClickEvent.class, t -> AvroSerde.of(ClickEvent.class).serializer())) {
            long start = System.nanoTime();
            for (int i = 0; i < EVENTS && producing.get(); i++) {
                pace(start, i, 1500);
                long now = System.currentTimeMillis();
                ClickEvent e = ClickEvent.newBuilder(gen.example(i).event()).setEventTime(Instant.ofEpochMilli(now))
                        .build();
                p.send(new ProducerRecord<>(topics.events(), null, now, e.getEventId(), e));
            }
        }
    }

    /** The same EXAMPLES examples, in the same order, to both runs, at 400/s (the kills land mid-stream). */
    private static void produceExamples(AtomicBoolean producing, Topics... targets) {
        SyntheticGenerator gen = new SyntheticGenerator(SynthShape.FRAPPE_LIKE, SynthConfig.defaults(11));
        try (KafkaProducer<String, LabeledExample> p = producer(LabeledExample.class,
                t -> AvroSerde.of(LabeledExample.class).serializer())) {
            long start = System.nanoTime();
            for (int i = 0; i < EXAMPLES && producing.get(); i++) {
                pace(start, i, 400);
                SyntheticExample ex = gen.example(i);
                LabeledExample le = LabeledExample.newBuilder().setEvent(ex.event()).setLabel(ex.label())
                        .setLabeledAt(Instant.ofEpochMilli(0)).build();
                for (Topics t : targets) {
                    p.send(new ProducerRecord<>(t.examples(), "deepfm", le));
                }
            }
        }
    }

    private static Map<String, String> with(Map<String, String> base, Topics topics, Path state) {
        return ServeRuns.with(base, topics, state);
    }

    private static void createTopics(Topics topics) {
        ServeRuns.createTopics(broker.bootstrapServers(), topics, 2);
    }

    private static void pace(long start, int i, double rate) {
        ServeRuns.pace(start, i, rate);
    }

    private static void awaitLogLines(Path log, String text, int count, Duration timeout) throws Exception {
        ServeRuns.awaitLogLines(log, text, count, timeout);
    }

    private static long distinct(TopicTail<Prediction> t) {
        return ServeRuns.distinct(t);
    }

    private static Map<String, ModelBlock> awaitModelAtVersion(Topics topics, long version, ServeProcess p) {
        return awaitModelAtVersion(topics, version, p, true);
    }

    private static Map<String, ModelBlock> awaitModelAtVersion(Topics topics, long version, ServeProcess p,
                                                               boolean exact) {
        return ServeRuns.awaitModelAtVersion(broker.bootstrapServers(), topics, version, p, exact,
                Duration.ofSeconds(300));
    }
}
