package dev.streamfm.cli;

import dev.streamfm.bench.ProcessSample;
import dev.streamfm.config.Settings;
import dev.streamfm.config.StreamfmConfig;
import dev.streamfm.kafka.EmbeddedKafkaBroker;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code bench soak}: the whole service (embedded broker, scorer, trainer, a synthetic stream at a
 * steady rate) in this JVM for a long time, sampling resident memory, heap, open file
 * descriptors and threads at a fixed interval. A leak shows as growth after the warm-up; the run
 * fails (exit 1) when resident memory grew by more than the allowance. Not a CI test: it takes
 * as long as it is told to (README, Benchmarks).
 */
@Command(name = "soak", mixinStandardHelpOptions = true,
        description = "Runs the service under steady load and samples RSS, heap, open files and threads; "
                + "exit 1 when RSS grows by more than --max-growth-mb after the warm-up.",
        footer = {"", "Example:", "  streamfm bench soak --duration 30m"})
final class SoakBenchCommand implements Callable<Integer> {

    @Mixin
    ServiceOptions options;

    @Option(names = "--duration", defaultValue = "30m", description = "How long to run (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--sample-every", defaultValue = "1m", description = "Sampling interval (default: ${DEFAULT-VALUE}).")
    Duration sampleEvery;

    // Measured at 300 events/s with a fixed heap: anonymous memory outside the heap (native
    // caches and buffers; file mappings stay flat) grows by about 4 MB a minute for the first 20
    // minutes and then stays within a few MB (README, bench soak); judged from 5 minutes, that
    // filling looked like a leak.
    @Option(names = "--warm-up", defaultValue = "20m",
            description = "Samples before this are not held to the allowance; the service's caches fill for "
                    + "about 20 minutes at 300 events/s (default: ${DEFAULT-VALUE}).")
    Duration warmUp;

    @Option(names = "--rate", defaultValue = "300", description = "Events per second (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--max-growth-mb", defaultValue = "50",
            description = "Allowed RSS growth from the first sample after the warm-up (default: ${DEFAULT-VALUE}).")
    long maxGrowthMb;

    @Override
    public Integer call() throws Exception {
        if (rate <= 0 || sampleEvery.isZero() || sampleEvery.isNegative()) {
            throw new IllegalArgumentException("--rate and --sample-every must be > 0");
        }
        Path state = Files.createTempDirectory("streamfm-soak-state-");
        List<ProcessSample> afterWarmUp = new ArrayList<>();
        try (ShutdownSignal stop = ShutdownSignal.install();
             EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            StreamfmConfig cfg = options.load(Map.of("bootstrap.servers", broker.bootstrapServers(),
                    Settings.STATE_DIR.key(), state.toString(), Settings.ATTRIBUTION_MS.key(), "5000",
                    Settings.GRACE_MS.key(), "2000"));
            SynthShape shape = SynthShape.parse(cfg.get(Settings.SHAPE));
            try (StreamfmService service = StreamfmService.start(cfg, ServiceRole.ALL,
                    new StreamfmMetrics(new PrometheusRegistry()));
                 TrafficProducer traffic = new TrafficProducer(StreamsProperties.clientProperties(cfg), cfg.topics(),
                         new SyntheticGenerator(shape, SynthConfig.defaults(shape, 1)), rate, Duration.ofSeconds(2),
                         cfg.getInt(Settings.METRICS_WINDOW), 1000)) {
                Thread producer = new Thread(() -> traffic.run(0), "streamfm-soak-traffic");
                producer.setDaemon(true);
                producer.start();
                System.out.printf("soak: %s at %.0f events/s for %s, a sample every %s (warm-up %s)%n",
                        shape.name(), rate, duration, sampleEvery, warmUp);
                if (!ProcessSample.heapFixed()) {
                    System.out.println("soak: WARNING the heap may grow (-Xms below -Xmx), and RSS with it as the JVM "
                            + "commits heap; that is sizing, not a leak. For a verdict on leaks run with -Xms equal to "
                            + "-Xmx (README, bench soak); the table shows the committed heap beside RSS.");
                }
                TextTable table = new TextTable("minute", "rss_mb", "heap_used_mb", "heap_committed_mb",
                        "off_heap_rss_mb", "fds", "threads", "threads_died");
                long start = System.nanoTime();
                long end = start + duration.toNanos();
                boolean stopped = false;
                for (long next = start; next <= end && !stopped; next += sampleEvery.toNanos()) {
                    stopped = next > System.nanoTime() && stop.await(Duration.ofNanos(next - System.nanoTime()));
                    ProcessSample s = ProcessSample.now();
                    double minutes = (System.nanoTime() - start) / 60e9;
                    table.row(String.format("%.1f", minutes), mb(s.rssBytes()), mb(s.heapUsedBytes()),
                            mb(s.heapCommittedBytes()), mb(s.offHeapRssBytes()), s.openFds(), s.threads(),
                            service.threadFailures());
                    System.out.printf("soak: %.1f min rss %s MB heap %s/%s MB off-heap %s MB fds %d threads %d%n",
                            minutes, mb(s.rssBytes()), mb(s.heapUsedBytes()), mb(s.heapCommittedBytes()),
                            mb(s.offHeapRssBytes()), s.openFds(), s.threads());
                    if (System.nanoTime() - start >= warmUp.toNanos()) {
                        afterWarmUp.add(s);
                    }
                }
                traffic.stop();
                System.out.print(table.render());
            }
        } finally {
            try (var paths = Files.walk(state)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        if (afterWarmUp.size() < 2) {
            System.out.println("soak: fewer than two samples after the warm-up; nothing to judge");
            return 0;
        }
        long growth = afterWarmUp.get(afterWarmUp.size() - 1).rssBytes() - afterWarmUp.get(0).rssBytes();
        long maxRss = afterWarmUp.stream().mapToLong(ProcessSample::rssBytes).max().orElseThrow();
        long minRss = afterWarmUp.stream().mapToLong(ProcessSample::rssBytes).min().orElseThrow();
        long offHeapGrowth = afterWarmUp.get(afterWarmUp.size() - 1).offHeapRssBytes()
                - afterWarmUp.get(0).offHeapRssBytes();
        System.out.printf("soak: RSS after the warm-up %s..%s MB, growth %s MB (allowed %d MB); outside the "
                + "committed heap %s MB%n", mb(minRss), mb(maxRss), mb(growth), maxGrowthMb, mb(offHeapGrowth));
        return growth > maxGrowthMb << 20 ? 1 : 0;
    }

    private static String mb(long bytes) {
        return String.format("%.0f", bytes / 1048576.0);
    }
}
