package dev.streamfm.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.streamfm.kafka.EmbeddedKafkaBroker;
import dev.streamfm.metrics.MetricsServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The consumer-lag alert and panel query a metric that only Micrometer's KafkaStreamsMetrics
 * names (kafka_consumer_fetch_manager_records_lag, per partition). This runs a Kafka Streams app
 * on a real broker, scrapes it with a real Prometheus and evaluates the alert's own expression, so
 * a rename in Kafka or Micrometer fails here instead of silencing the alert.
 */
class KafkaLagMetricIT {

    /**
     * Checked first, so a missing tool skips (or fails) the test before anything starts; per test,
     * because Maven's reports do not show a skip of a whole class.
     */
    @BeforeEach
    void requireTool() {
        ExternalTool.require("prometheus");
    }

    @Test
    void theLagAlertExpressionFindsTheStreamsConsumerPartitions(@TempDir Path stateDir) throws Exception {
        String lag = alertExpr("StreamfmConsumerLagHigh").replaceAll(">\\s*[0-9]+\\s*$", ">= 0");
        assertNotEquals(alertExpr("StreamfmConsumerLagHigh"), lag, "the lag alert no longer ends in a threshold");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic("lag-in", 2, (short) 1), new NewTopic("lag-out", 2, (short) 1)))
                        .all().get(30, TimeUnit.SECONDS);
            }
            try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers",
                    broker.bootstrapServers()), new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < 1000; i++) {
                    producer.send(new ProducerRecord<>("lag-in", "k" + i, "v" + i));
                }
            }
            Properties p = new Properties();
            p.put(StreamsConfig.APPLICATION_ID_CONFIG, "lag-metric-it");
            p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
            p.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
            p.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
            p.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
            StreamsBuilder builder = new StreamsBuilder();
            builder.stream("lag-in").to("lag-out");

            PrometheusRegistry registry = new PrometheusRegistry();
            try (MetricsServer endpoint = MetricsServer.start(registry, "127.0.0.1", 0, "a test picks a free port");
                 KafkaStreams streams = new KafkaStreams(builder.build(), p);
                 PrometheusServer prometheus = PrometheusServer.start(List.of("127.0.0.1:" + endpoint.port()))) {
                endpoint.bindKafkaStreams(streams);
                streams.start();
                // Micrometer registers new client metrics on its refresh (10 s here), after the first fetch.
                long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                List<Map<String, String>> series = List.of();
                while (series.stream().noneMatch(s -> "lag-in".equals(s.get("topic")))
                        && System.nanoTime() < deadline) {
                    Thread.sleep(1000);
                    series = prometheus.query(lag).series();
                }
                assertTrue(series.stream().anyMatch(s -> "lag-in".equals(s.get("topic"))),
                        "the lag alert expression found no lag of topic lag-in within 90 s: " + lag + " -> " + series);
            }
        }
    }

    private static String alertExpr(String alert) throws Exception {
        JsonNode rules = new YAMLMapper().readTree(Path.of("deploy", "prometheus", "alerts.yml").toFile());
        for (JsonNode group : rules.path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                if (rule.path("alert").asText().equals(alert)) {
                    return rule.path("expr").asText().trim();
                }
            }
        }
        throw new AssertionError("no alert " + alert + " in alerts.yml");
    }
}
