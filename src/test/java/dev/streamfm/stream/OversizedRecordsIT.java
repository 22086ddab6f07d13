package dev.streamfm.stream;

import dev.streamfm.config.ConfigException;
import dev.streamfm.config.StreamfmConfig;
import dev.streamfm.config.Topics;
import dev.streamfm.kafka.EmbeddedKafkaBroker;
import dev.streamfm.metrics.StreamfmMetrics;
import dev.streamfm.schema.ClickEvent;
import dev.streamfm.schema.DeadLetter;
import dev.streamfm.schema.Prediction;
import dev.streamfm.stream.serde.AvroSerde;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Values near the broker's limit on a broker with its default message.max.bytes (1 MB, which the
 * other tests' 16 MB embedded broker hides): a dead letter carries the whole value plus its
 * envelope and would not fit, and a valid event of that size would make an example and a
 * changelog record that do not fit. Each goes to the dead-letter topic, truncated to fit, and
 * the stream goes on under exactly-once.
 */
class OversizedRecordsIT {

    /** The broker's default message.max.bytes: 1 MiB plus the record batch overhead. */
    private static final int BROKER_LIMIT = 1_048_588;

    @TempDir
    Path state;

    @Test
    void valuesNearTheBrokersLimitAreDeadLetteredTruncatedAndTheStreamGoesOn() throws Exception {
        long now = System.currentTimeMillis();
        Map<String, byte[]> sent = new HashMap<>();
        // Just under what the broker accepts on the input topic.
        sent.put("huge-string", withCategorical("huge-string", now, Map.of("f0", "x".repeat(BROKER_LIMIT - 300))));
        sent.put("wide", wideEvent("wide", now));
        List<DeadLetter> dlq = run(Map.of(), sent, now);
        for (DeadLetter d : dlq) {
            assertTrue(Set.of("oversized_string", "record_too_large").contains(d.getReason()), d.getReason());
            assertTrue(d.getValue().remaining() < BROKER_LIMIT / 2, "value truncated to fit");
            assertTrue(d.getErrorMessage().contains("truncated"), d.getErrorMessage());
        }
    }

    @Test
    void aSpecAdmittingRecordsWhoseExamplesTheBrokerRefusesIsRefusedAtStart() throws Exception {
        // Under exactly-once a derived record the broker refuses poisons the transaction, and the
        // task would retry its input forever: such a spec must not start.
        Path spec = state.resolve("lenient.yaml");
        Files.writeString(spec, "limits: {max_record_bytes: 1048576}\nfields:\n"
                + "  - {name: f0, kind: categorical, buckets: 64}\n");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(Map.of("message.max.bytes", ""))) {
            StreamfmConfig cfg = StreamfmConfig.load(null, Map.of(), Map.of(
                    "bootstrap.servers", broker.bootstrapServers(), "streamfm.features.spec", spec.toString(),
                    "streamfm.state.dir", state.toString()));
            ConfigException e = assertThrows(ConfigException.class, () -> StreamfmService.start(cfg,
                    ServiceRole.SCORER, new StreamfmMetrics(new PrometheusRegistry())).close());
            assertTrue(e.getMessage().contains("limits.max_record_bytes") && e.getMessage().contains("1048588"),
                    e.getMessage());
        }
    }

    /** An event whose every string is within the limits, about as large as the broker's limit. */
    private static byte[] wideEvent(String id, long now) {
        Map<String, String> wide = new HashMap<>();
        for (int i = 0; i < 1000; i++) {
            wide.put("w" + i, "y".repeat(1000));
        }
        return withCategorical(id, now, wide);
    }

    /**
     * Runs the service on a broker with its default limit, sends the large values and then 20 good
     * events, and checks that the good ones are scored, the large ones are dead-lettered and no
     * thread died; returns the dead letters.
     */
    private List<DeadLetter> run(Map<String, String> settings, Map<String, byte[]> large, long now) throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(Map.of("message.max.bytes", ""))) {
            Map<String, String> all = new HashMap<>(Map.of(
                    "bootstrap.servers", broker.bootstrapServers(),
                    "streamfm.topic.partitions", "1",
                    "streamfm.model.type", "fm",
                    "streamfm.state.dir", state.toString()));
            all.putAll(settings);
            StreamfmConfig cfg = StreamfmConfig.load(null, Map.of(), all);
            Topics topics = cfg.topics();
            try (StreamfmService service = StreamfmService.start(cfg, ServiceRole.ALL,
                    new StreamfmMetrics(new PrometheusRegistry()));
                 KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                         ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                         ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 * BROKER_LIMIT), new StringSerializer(),
                         new ByteArraySerializer());
                 TopicTail<Prediction> predictions = new TopicTail<>(broker.bootstrapServers(), topics.predictions(),
                         AvroSerde.of(Prediction.class).deserializer(), true);
                 TopicTail<DeadLetter> deadLetters = new TopicTail<>(broker.bootstrapServers(),
                         topics.deadLetters(), AvroSerde.of(DeadLetter.class).deserializer(), true)) {
                for (Map.Entry<String, byte[]> e : large.entrySet()) {
                    assertTrue(e.getValue().length < BROKER_LIMIT - 100 && e.getValue().length > BROKER_LIMIT - 50_000,
                            e.getKey() + " is near the limit: " + e.getValue().length);
                    producer.send(new ProducerRecord<>(topics.events(), null, now, e.getKey(), e.getValue())).get();
                }
                for (int i = 0; i < 20; i++) {
                    byte[] v = withCategorical("good" + i, now, Map.of("f0", "v" + i));
                    producer.send(new ProducerRecord<>(topics.events(), null, now, "good" + i, v)).get();
                }
                assertTrue(predictions.pollUntil(() -> predictions.records().stream()
                                .filter(r -> r.key().startsWith("good")).count() >= 20, Duration.ofSeconds(90)),
                        "predictions of the good events after the large ones: " + predictions.records().size());
                assertTrue(deadLetters.pollUntil(() -> deadLetters.records().size() >= large.size(),
                        Duration.ofSeconds(30)), "dead letters: " + deadLetters.records().size());
                Map<String, DeadLetter> byKey = deadLetters.records().stream().collect(Collectors.toMap(
                        ConsumerRecord::key, ConsumerRecord::value, (a, b) -> a));
                assertEquals(large.keySet(), byKey.keySet());
                assertEquals(20, predictions.records().stream().filter(r -> r.key().startsWith("good")).count(),
                        "one prediction per good event");
                assertEquals(0, service.threadFailures(), "stream threads that died");
                assertTrue(service.streamsRunning(), "the service is RUNNING");
                return List.copyOf(byKey.values());
            }
        }
    }

    private static byte[] withCategorical(String id, long time, Map<String, String> categorical) {
        return AvroSerde.of(ClickEvent.class).encode(ClickEvent.newBuilder().setEventId(id)
                .setEventTime(Instant.ofEpochMilli(time)).setCategorical(categorical).build());
    }
}
