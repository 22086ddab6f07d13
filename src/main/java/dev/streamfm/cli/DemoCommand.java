package dev.streamfm.cli;

import dev.streamfm.config.Settings;
import dev.streamfm.config.StreamfmConfig;
import dev.streamfm.kafka.EmbeddedKafkaBroker;
import dev.streamfm.metrics.MetricsServer;
import dev.streamfm.metrics.StreamfmMetrics;
import dev.streamfm.stream.ServiceRole;
import dev.streamfm.stream.StreamfmService;
import dev.streamfm.stream.StreamsProperties;
import dev.streamfm.synth.SynthConfig;
import dev.streamfm.synth.SynthShape;
import dev.streamfm.synth.SyntheticGenerator;
import dev.streamfm.synth.TrafficProducer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"The whole service on one machine: an embedded Kafka broker, the topics, the scorer and trainer "
                + "topologies, the Prometheus endpoint and a synthetic click stream, with a status line every few "
                + "seconds. Ctrl-C stops it."},
        footer = {"", "Examples:",
                "  streamfm demo",
                "  streamfm demo --rate 1000 --duration 2m",
                "  streamfm demo --shape criteo-like --rate 1000 --set streamfm.model.type=fm"})
final class DemoCommand implements Callable<Integer> {

    @Mixin
    ServiceOptions options;

    // On 2 cores the scorer, trainer, broker and generator in one JVM under exactly-once keep up with
    // 2000/s (bench pipeline's live phase: lag bounded, no orphaned click; README, Benchmarks). The
    // status line shows the lag, so a user sees when a higher rate does not keep up.
    @Option(names = "--rate", defaultValue = "2000", description = "Events per second (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--duration", defaultValue = "0s",
            description = "How long to run: 50s, 5m, 1h (or ISO-8601 PT5M); 0s = until Ctrl-C (default).")
    Duration duration;

    @Option(names = "--shape", defaultValue = "frappe-like", description = "frappe-like, criteo-like or long-tail.")
    String shape;

    @Option(names = "--metrics-port", defaultValue = "9400",
            description = "Prometheus endpoint port (default: ${DEFAULT-VALUE}; 0 = a free port).")
    int metricsPort;

    @Option(names = "--status-every", defaultValue = "5s",
            description = "Status line interval (default: ${DEFAULT-VALUE}).")
    Duration statusEvery;

    @Override
    public Integer call() throws Exception {
        if (rate <= 0) {
            throw new IllegalArgumentException("--rate must be > 0, got " + rate);
        }
        Path state = Files.createTempDirectory("streamfm-demo-state-");
        try (ShutdownSignal stop = ShutdownSignal.install();
             EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            Map<String, String> demo = new HashMap<>();
            demo.put("bootstrap.servers", broker.bootstrapServers());
            demo.put(Settings.SHAPE.key(), SynthShape.parse(shape).name());
            demo.put(Settings.STATE_DIR.key(), state.toString());
            demo.put(Settings.METRICS_PORT.key(), Integer.toString(metricsPort));
            // Labels arrive within 2 s; a 5 s window turns silence into negatives quickly enough to watch.
            demo.put(Settings.ATTRIBUTION_MS.key(), "5000");
            demo.put(Settings.GRACE_MS.key(), "2000");
            demo.putIfAbsent(Settings.METRICS_BIND.key(), "127.0.0.1");
            StreamfmConfig cfg = options.load(demo);
            PrometheusRegistry registry = new PrometheusRegistry();
            StreamfmMetrics metrics = new StreamfmMetrics(registry);
            MetricsServer server = MetricsServer.start(registry, cfg.get(Settings.METRICS_BIND),
                    cfg.getInt(Settings.METRICS_PORT), "pass --metrics-port (0 picks a free port)");
            // Before the service starts and logs, so the ports in use are the first thing the user reads.
            System.out.printf("StreamFM demo: broker %s, metrics %s, %s at %.0f events/s%n",
                    broker.bootstrapServers(), server.url(), shape, rate);
            try (server;
                 StreamfmService service = StreamfmService.start(cfg, ServiceRole.ALL, metrics, server);
                 TrafficProducer traffic = new TrafficProducer(StreamsProperties.clientProperties(cfg), cfg.topics(),
                         new SyntheticGenerator(SynthShape.parse(shape), SynthConfig.defaults(SynthShape.parse(shape), 1)), rate,
                         Duration.ofSeconds(2), cfg.getInt(Settings.METRICS_WINDOW), 1000)) {
                Thread producer = new Thread(() -> traffic.run(0), "streamfm-demo-traffic");
                producer.setDaemon(true);
                producer.start();
                DemoStatus status = new DemoStatus(registry, cfg.get(Settings.MODEL_NAME), cfg.topics());
                long end = duration.isZero() ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
                while (System.nanoTime() < end) {
                    long wait = Math.min(statusEvery.toMillis(), Math.max(1, (end - System.nanoTime()) / 1_000_000));
                    if (stop.await(Duration.ofMillis(wait))) {
                        break;
                    }
                    var bayes = traffic.bayes();
                    metrics.setBayes(bayes.auc(), bayes.logloss());
                    System.out.println(status.line(bayes.auc()));
                }
                System.out.println("StreamFM demo stopping...");
                traffic.stop();
            }
        } finally {
            deleteQuietly(state);
        }
        return 0;
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            // a temp dir left behind is harmless
        }
    }
}
