package dev.streamfm.cli;

import dev.streamfm.config.Settings;
import dev.streamfm.config.StreamfmConfig;
import dev.streamfm.metrics.MetricsServer;
import dev.streamfm.metrics.StreamfmMetrics;
import dev.streamfm.stream.ServiceRole;
import dev.streamfm.stream.StreamfmService;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the StreamFM topologies against an existing Kafka cluster.",
        footer = {"Examples:",
                "  streamfm serve --bootstrap-servers kafka:9092 --role all",
                "  streamfm serve --config /etc/streamfm/streamfm.properties --role scorer",
                "  STREAMFM_SCORING_BATCH_SIZE=512 streamfm serve --bootstrap-servers kafka:9092"})
final class ServeCommand implements Callable<Integer> {

    @Mixin
    ServiceOptions options;

    static final String PORT_FIX = "set " + Settings.METRICS_PORT.key() + " (--set " + Settings.METRICS_PORT.key()
            + "=0 picks a free port) or " + Settings.METRICS_BIND.key();
    private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);

    @Option(names = "--role", defaultValue = "all", description = "all, scorer or trainer (default: ${DEFAULT-VALUE}).")
    ServiceRole role;

    @Override
    public Integer call() throws InterruptedException {
        StreamfmConfig cfg = options.load(Map.of());
        PrometheusRegistry registry = new PrometheusRegistry();
        StreamfmMetrics metrics = new StreamfmMetrics(registry);
        try (ShutdownSignal stop = ShutdownSignal.install();
             MetricsServer server = MetricsServer.start(registry, cfg.get(Settings.METRICS_BIND),
                cfg.getInt(Settings.METRICS_PORT), PORT_FIX)) {
            // First, so that an operator running several commands on one host sees who holds which port.
            log.info("streamfm serve --role {}: metrics on {}", role.label(), server.url());
            try (StreamfmService service = StreamfmService.start(cfg, role, metrics, server)) {
                stop.awaitForever();
            }
        }
        return 0;
    }
}
