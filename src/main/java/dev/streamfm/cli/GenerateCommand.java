package dev.streamfm.cli;

import dev.streamfm.config.Settings;
import dev.streamfm.config.StreamfmConfig;
import dev.streamfm.metrics.MetricsServer;
import dev.streamfm.metrics.StreamfmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import dev.streamfm.stream.StreamsProperties;
import dev.streamfm.synth.SynthConfig;
import dev.streamfm.synth.SynthShape;
import dev.streamfm.synth.SyntheticGenerator;
import dev.streamfm.synth.TrafficProducer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Produce synthetic click events (and their delayed click labels) to Kafka at a steady rate.",
        footer = {"", "Examples:",
                "  streamfm generate --bootstrap-servers localhost:9092 --rate 2000",
                "  streamfm generate --bootstrap-servers localhost:9092 --count 100000 --shape criteo-like",
                "  streamfm generate --bootstrap-servers localhost:9092 --metrics-port 9401"})
final class GenerateCommand implements Callable<Integer> {

    @Mixin
    ServiceOptions options;

    @Option(names = "--rate", defaultValue = "2000", description = "Events per second (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--count", defaultValue = "0", description = "Events to send; 0 = until stopped (default).")
    long count;

    @Option(names = "--shape", defaultValue = "frappe-like", description = "frappe-like, criteo-like or long-tail.")
    String shape;

    @Option(names = "--seed", defaultValue = "1", description = "Generator seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--label-delay", defaultValue = "2s",
            description = "Longest delay of a click label after its event, e.g. 500ms, 2s (default: ${DEFAULT-VALUE}); "
                    + "keep it below streamfm.labeling.window.ms.")
    Duration labelDelay;

    @Option(names = "--bad-every", defaultValue = "0",
            description = "Follow every N-th event with a malformed record, to exercise the dead-letter path "
                    + "(default: 0 = never).")
    int badEvery;

    // No endpoint by default: serve holds streamfm.metrics.port, and both run side by side on one host.
    @Option(names = "--metrics-port", paramLabel = "PORT",
            description = "Serve the generator's Prometheus endpoint (streamfm_bayes_auc/_logloss) on this port, "
                    + "0 = a free port (default: no endpoint).")
    Integer metricsPort;

    @Override
    public Integer call() throws Exception {
        if (rate <= 0) {
            throw new IllegalArgumentException("--rate must be > 0, got " + rate);
        }
        StreamfmConfig cfg = options.load(Map.of());
        String bootstrap = cfg.bootstrapServers();
        SyntheticGenerator gen = new SyntheticGenerator(SynthShape.parse(shape),
                SynthConfig.defaults(SynthShape.parse(shape), seed));
        PrometheusRegistry registry = new PrometheusRegistry();
        StreamfmMetrics metrics = new StreamfmMetrics(registry);
        Optional<MetricsServer> server = Optional.ofNullable(metricsPort).map(port -> MetricsServer.start(registry,
                cfg.get(Settings.METRICS_BIND), port, "pass another --metrics-port (0 picks a free port)"));
        System.err.printf("streamfm generate: %s at %.0f events/s to %s and %s on %s; %s%n", shape, rate,
                cfg.topics().events(), cfg.topics().labels(), bootstrap,
                server.map(m -> "metrics on " + m.url()).orElse("no metrics endpoint (--metrics-port serves one)"));
        try (ShutdownSignal stop = ShutdownSignal.install();
             AutoCloseable endpoint = () -> server.ifPresent(MetricsServer::close);
             TrafficProducer producer = new TrafficProducer(StreamsProperties.clientProperties(cfg), cfg.topics(), gen,
                rate, labelDelay, 20_000, badEvery)) {
            stop.onRequest(producer::stop, "streamfm-generate-stop");
            Thread status = new Thread(() -> report(producer, metrics), "streamfm-generate-status");
            status.setDaemon(true);
            status.start();
            producer.run(count);
            System.err.printf("sent %d events and %d labels to %s%n", producer.sentEvents(), producer.sentLabels(),
                    cfg.topics().events());
        }
        return 0;
    }

    private static void report(TrafficProducer producer, StreamfmMetrics metrics) {
        long last = 0;
        while (true) {
            try {
                Thread.sleep(5000);
            } catch (InterruptedException e) {
                return;
            }
            long sent = producer.sentEvents();
            var bayes = producer.bayes();
            metrics.setBayes(bayes.auc(), bayes.logloss());
            System.err.printf("events %,d (%.0f/s)  labels %,d  Bayes-optimal AUC %.4f logloss %.4f%n", sent,
                    (sent - last) / 5.0, producer.sentLabels(), bayes.auc(), bayes.logloss());
            last = sent;
        }
    }
}
