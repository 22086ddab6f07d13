package dev.streamfm.stream;

import dev.streamfm.config.StreamfmConfig;
import dev.streamfm.config.Topics;
import dev.streamfm.kafka.EmbeddedKafkaBroker;
import dev.streamfm.kafka.TopicAdmin;
import dev.streamfm.metrics.StreamfmMetrics;
import dev.streamfm.schema.ClickEvent;
import dev.streamfm.schema.Prediction;
import dev.streamfm.stream.serde.AvroSerde;
import dev.streamfm.synth.SynthConfig;
import dev.streamfm.synth.SynthShape;
import dev.streamfm.synth.SyntheticGenerator;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.apache.kafka.clients.admin.Admin;
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
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two scorer processes (two services with their own state directories, one application id)
 * share the event partitions; one of them stops while events still arrive, and the other takes
 * over its partitions. Every event gets exactly one committed prediction across both.
 */
class ScorerScaleOutIT {

    private static final int PARTITIONS = 4;
    private static final int EVENTS = 20_000;

    @TempDir
    Path state;

    @Test
    void twoScorersShareThePartitionsAndARebalanceLosesNothing() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            Map<String, String> common = Map.of("bootstrap.servers", broker.bootstrapServers(),
                    "streamfm.topic.partitions", Integer.toString(PARTITIONS),
                    "streamfm.labeling.window.ms", "2s", "streamfm.labeling.grace.ms", "1s");
            StreamfmConfig a = config(common, "a");
            StreamfmConfig b = config(common, "b");
            Topics topics = a.topics();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                TopicAdmin.ensure(admin, TopicAdmin.required(topics, PARTITIONS, 1), (short) 1);
            }
            SyntheticGenerator gen = new SyntheticGenerator(SynthShape.FRAPPE_LIKE,
                    SynthConfig.defaults(SynthShape.FRAPPE_LIKE, 9));
            PrometheusRegistry registryA = new PrometheusRegistry();
            PrometheusRegistry registryB = new PrometheusRegistry();
            StreamfmService first = StreamfmService.start(a, ServiceRole.SCORER, new StreamfmMetrics(registryA));
            try (StreamfmService second = StreamfmService.start(b, ServiceRole.SCORER,
                    new StreamfmMetrics(registryB));
                 KafkaProducer<String, ClickEvent> producer = new KafkaProducer<>(Map.of(
                         ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                         ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(),
                         AvroSerde.of(ClickEvent.class).serializer())) {
                // Both join before any state exists, so the assignor spreads the tasks at once; a
                // scorer joining later gets stateful tasks only after warming up a copy of their
                // state (Kafka Streams' probing rebalances).
                Thread.sleep(10_000);
                long now = System.currentTimeMillis();
                for (int i = 0; i < EVENTS; i++) {
                    ClickEvent e = ClickEvent.newBuilder(gen.example(i).event())
                            .setEventTime(Instant.ofEpochMilli(now + i)).build();
                    producer.send(new ProducerRecord<>(topics.events(), null, now + i, e.getEventId(), e));
                    if (i == EVENTS / 2) {
                        producer.flush();
                        awaitPredictions(registryA, registryB, EVENTS / 8);
                        assertTrue(predictions(registryA) > 0 && predictions(registryB) > 0,
                                "both scorers took partitions: " + predictions(registryA) + " and "
                                        + predictions(registryB));
                        first.close();
                    }
                }
                producer.flush();
                try (TopicTail<Prediction> out = new TopicTail<>(broker.bootstrapServers(), topics.predictions(),
                        AvroSerde.of(Prediction.class).deserializer(), true)) {
                    out.pollUntil(() -> out.records().size() >= EVENTS, Duration.ofSeconds(120));
                    out.pollUntil(() -> false, Duration.ofSeconds(3));
                    Map<String, Integer> counts = new HashMap<>();
                    for (ConsumerRecord<String, Prediction> r : out.records()) {
                        counts.merge(r.value().getEventId(), 1, Integer::sum);
                    }
                    assertEquals(EVENTS, counts.size(), "events with a committed prediction");
                    counts.forEach((id, n) -> assertEquals(1, n, "committed predictions of " + id));
                }
            } finally {
                first.close();
            }
        }
    }

    private StreamfmConfig config(Map<String, String> common, String instance) {
        Map<String, String> m = new HashMap<>(common);
        m.put("streamfm.state.dir", state.resolve(instance).toString());
        return StreamfmConfig.load(null, Map.of(), m);
    }

    private static void awaitPredictions(PrometheusRegistry a, PrometheusRegistry b, int atLeast)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (predictions(a) + predictions(b) < atLeast && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
    }

    private static double predictions(PrometheusRegistry r) {
        return r.scrape().stream().filter(m -> m.getMetadata().getPrometheusName().equals("streamfm_predictions"))
                .flatMap(m -> m.getDataPoints().stream())
                .mapToDouble(d -> ((io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot) d)
                        .getValue()).sum();
    }
}
