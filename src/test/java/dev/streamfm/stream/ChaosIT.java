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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Chaos beyond one SIGKILL (README, Exactly-once and crashes): `serve --role all` in its own JVM
 * on events written at RATE a second, while the broker restarts on the same port and log
 * directory, the service is killed with SIGKILL three times in a row (once right after its
 * trainer restored, during recovery) and then frozen with SIGSTOP for longer than the session
 * timeout (and the scorer's transaction timeout), so that it comes back fenced. Every
 * event must end with exactly one committed prediction, every example must reach the trainer
 * exactly once and in the order of an uninterrupted run, and the final model must equal that
 * run's bit for bit.
 *
 * <p>Every event arrives labeled, so its example goes out when it is read: the example order is
 * the input order, and the trainer's batches close by count (training.batch.max.ms=0), which
 * makes the uninterrupted run's parameters a fixed reference.
 */
class ChaosIT {

    private static final int BATCH = 256;
    private static final int EVENTS = 30 * BATCH;
    private static final double RATE = 300;
    private static final Duration BROKER_DOWN = Duration.ofSeconds(3);
    private static final Duration FROZEN = Duration.ofSeconds(15);
    private static final String RESTORED = "Trainer for model";

    @TempDir
    Path tmp;

    @Test
    void brokerRestartThreeKillsAndAFreezeLoseNothingDuplicateNothingAndChangeNoParameter() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            String bootstrap = broker.bootstrapServers();
            Topics chaos = new Topics("chaos");
            Topics reference = new Topics("chaos-ref");
            ServeRuns.createTopics(bootstrap, chaos, 1);
            ServeRuns.createTopics(bootstrap, reference, 1);
            // FROZEN outlasts the 10 s session timeout and the scorer's 10 s transaction timeout
            // (docs/architecture.md, "Exactly-once: the rule").
            Map<String, String> settings = Map.of("streamfm.training.batch.size", Integer.toString(BATCH),
                    "streamfm.training.batch.max.ms", "0", "streamfm.processing.guarantee", "exactly_once_v2",
                    "streamfm.metrics.port", "0");
            Map<String, String> chaosSettings = ServeRuns.with(settings, chaos, tmp.resolve("chaos"));
            Path log = tmp.resolve("chaos.log");
            List<String> timeline = new ArrayList<>();
            AtomicInteger produced = new AtomicInteger();
            AtomicBoolean producing = new AtomicBoolean(true);
            Thread producer = new Thread(() -> produce(bootstrap, producing, produced, chaos, reference));
            Map<String, ModelBlock> chaosModel;
            Map<String, Integer> counts = new HashMap<>();
            long started = System.nanoTime();
            try (TopicTail<Prediction> predictions = new TopicTail<>(bootstrap, chaos.predictions(),
                    AvroSerde.of(Prediction.class).deserializer(), true)) {
                try (ServeProcess p = ServeProcess.start(bootstrap, "all", chaosSettings, log)) {
                    ServeRuns.awaitLogLines(log, RESTORED, 1, Duration.ofSeconds(120));
                    producer.start();
                    awaitScored(predictions, 1_000, p);
                    note(timeline, "broker restart, " + BROKER_DOWN.toSeconds() + " s down", started, produced,
                            predictions);
                    broker.restart(BROKER_DOWN);
                    awaitScored(predictions, ServeRuns.distinct(predictions) + 1_000, p);
                    note(timeline, "SIGKILL 1 (after the broker restart)", started, produced, predictions);
                    p.kill();
                }
                try (ServeProcess p = ServeProcess.start(bootstrap, "all", chaosSettings, log)) {
                    ServeRuns.awaitLogLines(log, RESTORED, 2, Duration.ofSeconds(120));
                    note(timeline, "SIGKILL 2 (recovering: the trainer has just restored)", started, produced,
                            predictions);
                    p.kill();
                }
                try (ServeProcess p = ServeProcess.start(bootstrap, "all", chaosSettings, log)) {
                    ServeRuns.awaitLogLines(log, RESTORED, 3, Duration.ofSeconds(120));
                    awaitScored(predictions, ServeRuns.distinct(predictions) + 500, p);
                    note(timeline, "SIGKILL 3", started, produced, predictions);
                    p.kill();
                }
                try (ServeProcess p = ServeProcess.start(bootstrap, "all", chaosSettings, log)) {
                    ServeRuns.awaitLogLines(log, RESTORED, 4, Duration.ofSeconds(120));
                    awaitScored(predictions, ServeRuns.distinct(predictions) + 300, p);
                    note(timeline, "SIGSTOP for " + FROZEN.toSeconds() + " s", started, produced, predictions);
                    p.pause();
                    Thread.sleep(FROZEN.toMillis());
                    p.resume();
                    note(timeline, "SIGCONT", started, produced, predictions);
                    awaitScored(predictions, EVENTS, p);
                    chaosModel = ServeRuns.awaitModelAtVersion(bootstrap, chaos, EVENTS / BATCH, p, true,
                            Duration.ofSeconds(180));
                    note(timeline, "done, model at step " + EVENTS / BATCH + ", trainer restores logged: "
                            + ServeRuns.lines(log, RESTORED), started, produced, predictions);
                    predictions.pollToEnd();
                }
                for (ConsumerRecord<String, Prediction> r : predictions.records()) {
                    counts.merge(r.value().getEventId(), 1, Integer::sum);
                }
            } finally {
                producing.set(false);
                producer.join();
            }
            System.out.println("ChaosIT timeline:\n  " + String.join("\n  ", timeline));
            String when = "\n" + String.join("\n", timeline);
            assertEquals(EVENTS, produced.get(), "events produced");
            assertEquals(EVENTS, counts.size(), "events with a committed prediction" + when);
            assertEquals(List.of(), counts.entrySet().stream().filter(e -> e.getValue() != 1).limit(10).toList(),
                    "events with more than one committed prediction" + when);
            assertTrue(timeline.stream().limit(5).noneMatch(l -> l.contains(" " + EVENTS + " scored")),
                    "every fault landed before the stream was done:" + when);

            // The uninterrupted run, afterwards, on the same events (the two would compete for the cores).
            Map<String, ModelBlock> referenceModel;
            try (ServeProcess p = ServeProcess.start(bootstrap, "all",
                    ServeRuns.with(settings, reference, tmp.resolve("reference")), tmp.resolve("reference.log"))) {
                referenceModel = ServeRuns.awaitModelAtVersion(bootstrap, reference, EVENTS / BATCH, p, true,
                        Duration.ofSeconds(180));
            }
            List<String> chaosExamples = examples(bootstrap, chaos);
            List<String> referenceExamples = examples(bootstrap, reference);
            assertEquals(EVENTS, referenceExamples.size(), "examples of the uninterrupted run");
            assertEquals(referenceExamples, chaosExamples,
                    "committed examples: each once, in the order of the uninterrupted run" + when);
            ServeRuns.assertSameParameters(referenceModel, chaosModel,
                    "a broker restart, three kills and a " + FROZEN.toSeconds() + " s freeze");
        }
    }

    private static void awaitScored(TopicTail<Prediction> predictions, long count, ServeProcess p) {
        long target = Math.min(count, EVENTS);
        assertTrue(predictions.pollUntil(() -> ServeRuns.distinct(predictions) >= target, Duration.ofSeconds(150)),
                () -> "only " + ServeRuns.distinct(predictions) + " of " + target + " events scored:\n" + p.logTail());
    }

    private static void note(List<String> timeline, String what, long started, AtomicInteger produced,
                             TopicTail<Prediction> predictions) {
        timeline.add(String.format("%5.1f s  %s: %d produced, %d scored", (System.nanoTime() - started) / 1e9, what,
                produced.get(), ServeRuns.distinct(predictions)));
    }

    /** The committed examples of a run, as event id and label, in topic order. */
    private static List<String> examples(String bootstrap, Topics topics) {
        try (TopicTail<LabeledExample> tail = new TopicTail<>(bootstrap, topics.examples(),
                AvroSerde.of(LabeledExample.class).deserializer(), true)) {
            return tail.pollToEnd().stream().map(r -> r.value().getEvent().getEventId() + ":" + r.value().getLabel())
                    .toList();
        }
    }

    /** EVENTS labeled events at RATE a second, the same to both runs; event time is the schedule. */
    private static void produce(String bootstrap, AtomicBoolean producing, AtomicInteger produced, Topics... targets) {
        SyntheticGenerator gen = new SyntheticGenerator(SynthShape.FRAPPE_LIKE, SynthConfig.defaults(13));
        try (KafkaProducer<String, ClickEvent> p = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(), AvroSerde.of(ClickEvent.class).serializer())) {
            long t0 = System.currentTimeMillis();
            long start = System.nanoTime();
            for (int i = 0; i < EVENTS && producing.get(); i++) {
                ServeRuns.pace(start, i, RATE);
                SyntheticExample ex = gen.example(i);
                long time = t0 + (long) (i * 1000 / RATE);
                ClickEvent e = ClickEvent.newBuilder(ex.event()).setEventTime(Instant.ofEpochMilli(time))
                        .setLabel(ex.label()).build();
                for (Topics t : targets) {
                    p.send(new ProducerRecord<>(t.events(), null, time, e.getEventId(), e));
                }
                produced.incrementAndGet();
            }
        }
    }
}
