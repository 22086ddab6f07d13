package dev.streamfm.bench;

import dev.streamfm.config.Settings;
import dev.streamfm.stream.ServiceRole;
import dev.streamfm.stream.StreamsProperties;
import dev.streamfm.config.StreamfmConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

/**
 * The ceiling of any scorer (or trainer) on this broker: a stateless Kafka Streams application
 * that copies every record of its input, bytes untouched, to a sink topic. It runs with the service's Kafka properties,
 * processing guarantee, commit interval and stream threads and otherwise Kafka Streams' defaults,
 * so it measures what Kafka and Kafka Streams cost, and nothing of StreamFM's.
 */
final class PassThrough implements AutoCloseable {

    private final KafkaStreams streams;

    private PassThrough(KafkaStreams streams) {
        this.streams = streams;
    }

    /** @param role whose application's commit interval the pass-through uses */
    static PassThrough start(StreamfmConfig cfg, ServiceRole role, String source, String applicationId, String sink,
                             Path stateDir) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(source, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
                .to(sink, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
        Properties p = new Properties();
        p.putAll(cfg.kafkaProperties());
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, cfg.get(Settings.GUARANTEE));
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, StreamsProperties.commitIntervalMs(cfg, role));
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, cfg.getInt(Settings.THREADS));
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, cfg.getInt(Settings.REPLICATION));
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        KafkaStreams streams = new KafkaStreams(builder.build(), p);
        streams.start();
        return new PassThrough(streams);
    }

    @Override
    public void close() {
        streams.close(Duration.ofSeconds(8));
    }
}
