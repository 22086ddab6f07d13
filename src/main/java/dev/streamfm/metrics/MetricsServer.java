package dev.streamfm.metrics;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.apache.kafka.streams.KafkaStreams;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * The process's metrics endpoint: serves a registry on {@code http://<bind>:<port>/metrics} with
 * the JVM's metrics and, once bound, the Kafka Streams clients' metrics, and the probes
 * /healthz and /readyz ({@link Probes}). One server per registry.
 * Address and port come from the configuration (streamfm.metrics.bind, streamfm.metrics.port: 127.0.0.1:9400).
 */
public final class MetricsServer implements AutoCloseable {

    /**
     * How often Micrometer looks for Kafka client metrics that appeared or went away. Its default
     * (60 s) leaves a newly assigned partition's lag unseen for a minute after a rebalance.
     */
    static final Duration KAFKA_METRICS_REFRESH = Duration.ofSeconds(10);

    private final HTTPServer http;
    private final Probes probes;
    private final String bindAddress;
    private final PrometheusMeterRegistry micrometer;
    private final ScheduledExecutorService kafkaMetricsRefresh;
    private final List<KafkaStreamsMetrics> kafkaBindings = new CopyOnWriteArrayList<>();

    private MetricsServer(HTTPServer http, Probes probes, String bindAddress, PrometheusMeterRegistry micrometer) {
        this.http = http;
        this.probes = probes;
        this.bindAddress = bindAddress;
        this.micrometer = micrometer;
        this.kafkaMetricsRefresh = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "streamfm-kafka-metrics-refresh");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts serving.
     *
     * @param bindAddress interface to listen on, e.g. 0.0.0.0 (all) or 127.0.0.1 (this host only)
     * @param port        0 picks a free port (see {@link #port()})
     * @param fix         how the user of the calling command picks another port or address, e.g. "set
     *                    streamfm.metrics.port or --set streamfm.metrics.port=0": a clash names the knob to turn
     * @throws UncheckedIOException naming the address, the cause (e.g. "Address already in use") and the fix
     */
    public static MetricsServer start(PrometheusRegistry registry, String bindAddress, int port, String fix) {
        JvmMetrics.builder().register(registry);
        HTTPServer http;
        Probes probes = new Probes();
        try {
            http = HTTPServer.builder().hostname(bindAddress).port(port).registry(registry).defaultHandler(probes)
                    .buildAndStart();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve metrics on " + bindAddress + ":" + port + " ("
                    + e.getMessage() + "): " + fix, e);
        }
        // Micrometer writes into the same registry, so one scrape returns StreamFM's, the JVM's and Kafka's metrics.
        return new MetricsServer(http, probes, bindAddress,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, registry, Clock.SYSTEM));
    }

    /**
     * Answers /healthz and /readyz from these checks (each named, true when it holds) from now on.
     */
    public void probes(Supplier<Map<String, Boolean>> liveness, Supplier<Map<String, Boolean>> readiness) {
        probes.register(liveness::get, readiness::get);
    }

    public int port() {
        return http.getPort();
    }

    /** Where to scrape, for the first line of a command's output. */
    public String url() {
        return "http://" + bindAddress + ":" + port() + "/metrics";
    }

    /**
     * Exposes a Kafka Streams instance's client metrics (threads, consumers incl. lag, producers),
     * named {@code kafka_<group>_<name>} by Micrometer, e.g. kafka_consumer_fetch_manager_records_lag_max.
     * Close the returned binding when that instance is closed; the server closes the rest.
     */
    public AutoCloseable bindKafkaStreams(KafkaStreams streams) {
        KafkaStreamsMetrics binding = new KafkaStreamsMetrics(streams, Tags.empty(), kafkaMetricsRefresh,
                KAFKA_METRICS_REFRESH);
        binding.bindTo(micrometer);
        kafkaBindings.add(binding);
        return () -> {
            if (kafkaBindings.remove(binding)) {
                binding.close();
            }
        };
    }

    @Override
    public void close() {
        for (KafkaStreamsMetrics binding : kafkaBindings) {
            binding.close();
        }
        kafkaBindings.clear();
        kafkaMetricsRefresh.shutdownNow();
        micrometer.close();
        http.close();
    }
}
