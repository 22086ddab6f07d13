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
import java.util.function.ToLongBiFunction;

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

    private static final Duration POLL = Duration.ofMillis(50);

    /** The topic a phase's pass-through copies to; a phase creates it with its own topics. */
    static String sink(StreamfmConfig cfg) {
        return cfg.topics().prefix() + ".passthrough";
    }

    /**
     * Copies the backlog on the input topic of {@code role}'s application (events for the scorer,
     * examples for the trainer) with that application's commit interval, timed until the last copy
     * is visible to a read_committed consumer.
     *
     * @param phase   names the pass-through's state directory
     * @param counted copies seen so far: distinct keys for events, every record for examples (keyed by model)
     */
    static CatchUp time(BenchRun run, CatchUpMeter meter, StreamfmConfig cfg, ServiceRole role, String phase,
                        long records, ToLongBiFunction<CommittedTail, Duration> counted) throws InterruptedException {
        boolean trainer = role == ServiceRole.TRAINER;
        String guarantee = cfg.get(Settings.GUARANTEE);
        try (CommittedTail tail = new CommittedTail(BenchRun.clients(cfg), sink(cfg))) {
            run.progress().now("pass-through " + guarantee + ": copying " + records + (trainer ? " examples" : " events"));
            long startedAt = System.nanoTime();
            try (PassThrough ignored = start(cfg, role, trainer ? cfg.topics().examples() : cfg.topics().events(),
                    run.workDir().resolve(phase + "-passthrough"))) {
                return meter.await("pass-through " + guarantee, records, startedAt,
                        () -> counted.applyAsLong(tail, POLL));
            }
        }
    }

    private static PassThrough start(StreamfmConfig cfg, ServiceRole role, String source, Path stateDir) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(source, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
                .to(sink(cfg), Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
        Properties p = new Properties();
        p.putAll(cfg.kafkaProperties());
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, cfg.get(Settings.APPLICATION_ID) + "-passthrough");
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
