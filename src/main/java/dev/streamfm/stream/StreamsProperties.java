package dev.streamfm.stream;

import dev.streamfm.config.Settings;
import dev.streamfm.config.StreamfmConfig;
import dev.streamfm.metrics.StreamfmMetrics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/** Kafka Streams properties of one role, from the one configuration. */
public final class StreamsProperties {

    private StreamsProperties() {
    }

    public static Properties of(StreamfmConfig cfg, ServiceRole role, StreamfmMetrics metrics) {
        Properties p = new Properties();
        // Tuned defaults first, so the operator's Kafka properties can override them.
        if (!cfg.exactlyOnce()) {
            // At-least-once output is visible once sent: Streams' 100 ms linger would be all its latency.
            // Exactly-once output is visible at the commit, which flushes the producer anyway, so
            // there Streams' linger only lets each commit's records travel in full batches.
            p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 1);
        }
        p.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), 16 * 1024 * 1024);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 10_000); // faster take-over after a crash
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG), 16 * 1024 * 1024);
        if (role == ServiceRole.SCORER) {
            // The attribution window holds windows open for labels read late (AttributionWindow),
            // so the scorer need not idle for one topic while the other has records buffered:
            // at-least-once catch-up went from 15.3k to 28.6k events/s without it (README).
            p.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
        }
        if (role == ServiceRole.TRAINER) {
            // A trainer's first checkpoint writes every block in one transaction: tens of MB for a
            // model of a few hundred thousand rows. Streams' 10 s
            // transaction timeout aborted it over and over on a loaded 2-core machine (README,
            // "Three terminals"), fencing the trainer before it ever published.
            p.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG), 60_000);
        }
        p.putAll(cfg.kafkaProperties());
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, cfg.get(Settings.APPLICATION_ID) + "-" + role.label());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, cfg.get(Settings.GUARANTEE));
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitIntervalMs(cfg, role));
        p.put(StreamsConfig.STATE_DIR_CONFIG, Path.of(cfg.get(Settings.STATE_DIR), role.label()).toString());
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, cfg.getInt(Settings.THREADS));
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, cfg.getInt(Settings.REPLICATION));
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandlers.Deserialization.class);
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandlers.Processing.class);
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        p.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandlers.Production.class);
        p.put(DeadLetterHandlers.TOPIC_CONFIG, cfg.topics().deadLetters());
        p.put(DeadLetterHandlers.METRICS_CONFIG, metrics);
        p.put(DeadLetterHandlers.FORMAT_CONFIG, cfg.get(Settings.OUTPUT_FORMAT));
        return p;
    }

    /** The commit interval of a role's application: the trainer commits at its own pace (Settings). */
    public static int commitIntervalMs(StreamfmConfig cfg, ServiceRole role) {
        return cfg.getInt(role == ServiceRole.TRAINER ? Settings.TRAINING_COMMIT_MS : Settings.COMMIT_MS);
    }

    /** Plain client properties (for the model follower, generator and tools): the pass-through Kafka ones. */
    public static Map<String, Object> clientProperties(StreamfmConfig cfg) {
        Map<String, Object> m = new HashMap<>(cfg.kafkaProperties());
        m.keySet().removeIf(k -> k.startsWith("producer.") || k.startsWith("consumer.") || k.startsWith("admin.")
                || StreamsConfig.configDef().names().contains(k) && !isClientConfig(k));
        return m;
    }

    private static boolean isClientConfig(String key) {
        return ConsumerConfig.configNames().contains(key) || ProducerConfig.configNames().contains(key);
    }
}
