package dev.streamfm.bench;

import dev.streamfm.config.Settings;
import dev.streamfm.config.StreamfmConfig;
import dev.streamfm.metrics.StreamfmMetrics;
import dev.streamfm.schema.Prediction;
import dev.streamfm.stream.ServiceRole;
import dev.streamfm.stream.StreamfmService;
import dev.streamfm.stream.serde.AvroSerde;
import dev.streamfm.synth.SyntheticGenerator;
import dev.streamfm.synth.TrafficProducer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.serialization.Deserializer;

import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One live run: the service with every role, the synthetic generator producing events at a fixed
 * rate and each click's label up to {@link #LABEL_DELAY} later (as {@code demo} does), for a set
 * duration. Latency is taken where a user sees a prediction: at a read_committed consumer.
 */
final class LivePhase {

    /** Labels arrive within 2 s; a 5 s window with 2 s grace labels silence as negative soon enough to count. */
    static final Duration LABEL_DELAY = Duration.ofSeconds(2);
    static final Map<String, String> LABELING = Map.of(Settings.ATTRIBUTION_MS.key(), "5000",
            Settings.GRACE_MS.key(), "2000");
    private static final Duration POLL = Duration.ofMillis(20);
    private static final Duration LAG_EVERY = Duration.ofSeconds(1);
    private static final Duration WARM_UP = Duration.ofSeconds(5);
    private static final Duration FIRST_PREDICTION_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration CATCH_UP_TIMEOUT = Duration.ofSeconds(120);
    /** After the window, how long predictions still in flight may take to arrive. */
    private static final Duration DRAIN = Duration.ofSeconds(10);

    private final BenchRun run;
    private final String bootstrapServers;
    private final Deserializer<Prediction> predictions = AvroSerde.of(Prediction.class).deserializer();

    LivePhase(BenchRun run, String bootstrapServers) {
        this.run = run;
        this.bootstrapServers = bootstrapServers;
    }

    LiveRun run(String guarantee, int rate, Duration duration, SyntheticGenerator generator)
            throws InterruptedException {
        String name = "live-" + Guarantees.shortName(guarantee) + "-" + rate;
        Map<String, String> overrides = new HashMap<>(LABELING);
        overrides.put(Settings.GUARANTEE.key(), guarantee);
        // The latency reader below decodes the predictions as Avro.
        overrides.put(Settings.OUTPUT_FORMAT.key(), "avro");
        StreamfmConfig cfg = run.phase(name, bootstrapServers, overrides);
        String app = cfg.get(Settings.APPLICATION_ID);
        Map<String, String> model = Map.of("model", cfg.get(Settings.MODEL_NAME));
        PrometheusRegistry registry = new PrometheusRegistry();
        RegistryReadings readings = new RegistryReadings(registry);
        String label = String.format(Locale.ROOT, "live %s %,d/s", guarantee, rate);
        run.progress().now(label + ": starting the service");
        long startedAt = System.nanoTime();
        try (StreamfmService ignored = StreamfmService.start(cfg, ServiceRole.ALL, new StreamfmMetrics(registry));
             CommittedTail tail = new CommittedTail(BenchRun.clients(cfg), cfg.topics().predictions());
             Admin admin = Admin.create(BenchRun.clients(cfg));
             TrafficProducer traffic = new TrafficProducer(BenchRun.clients(cfg), cfg.topics(), generator, rate,
                     LABEL_DELAY, cfg.getInt(Settings.METRICS_WINDOW), 0)) {
            Thread producer = new Thread(() -> traffic.run(0), "bench-live-traffic");
            producer.setDaemon(true);
            producer.start();
            try (LagWatch lag = new LagWatch(admin, app, LAG_EVERY)) {
                Window window = warmUp(tail, traffic, lag, rate, label);
                double caughtUpSeconds = window.caughtUp ? (window.startNanos - startedAt) / 1e9 : Double.NaN;
                long end = window.startNanos + duration.toNanos();
                while (System.nanoTime() < end) {
                    window.poll(tail);
                    run.progress().maybe(() -> String.format(Locale.ROOT, "%s: %,d sent, %,d predicted, lag %,d",
                            label, traffic.sentEvents(), tail.distinct(), lag.last()));
                }
                traffic.stop();
                producer.join();
                double seconds = (System.nanoTime() - window.startNanos) / 1e9;
                long sent = traffic.sentEvents() - window.sentBefore;
                long deliveredAtEnd = window.latency.size();
                CompletableFuture<Map<String, Long>> atEnd = lag.sampleNow();
                long drainEnd = System.nanoTime() + DRAIN.toNanos();
                while ((window.latency.size() < sent || !atEnd.isDone()) && System.nanoTime() < drainEnd) {
                    window.poll(tail);
                }
                Map<String, Long> lagEnd = atEnd.get(DRAIN.toSeconds(), TimeUnit.SECONDS);
                long endLag = LagWatch.total(lagEnd);
                LiveRun result = new LiveRun(guarantee, rate, seconds, sent,
                        deliveredAtEnd / (double) Math.max(1, sent), endLag <= rate,
                        new LiveRun.Lag(lagEnd, endLag, lag.max(), caughtUpSeconds),
                        new LiveRun.Latency(window.latency.size(), Math.max(0, sent - window.latency.size()),
                                window.latency.percentile(50), window.latency.percentile(99)),
                        new LiveRun.Learning((long) readings.counter(Metric.DEAD_LETTERS,
                                Map.of("reason", "orphan_label")),
                                (long) readings.counter(Metric.EXAMPLES_TRAINED, model),
                                readings.quantileBound(Metric.FRESHNESS, model, 0.99)));
                run.progress().now(String.format(Locale.ROOT, "%s: %s, lag at end %,d, p99 %.0f ms", label,
                        result.keptUp() ? "kept up" : "fell behind", endLag, result.latency().p99Millis()));
                return result;
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException(label + ": cannot read the consumer lag at the end: " + e.getMessage(),
                        e);
            }
        }
    }

    /**
     * Waits for the first prediction (the service has joined its groups and restored its state),
     * {@link #WARM_UP} more, and then until the service has caught up with what was sent meanwhile
     * (summed lag at most one second of events, up to {@link #CATCH_UP_TIMEOUT}), so that the window
     * measures the steady state; how long the start took is reported on its own.
     */
    private Window warmUp(CommittedTail tail, TrafficProducer traffic, LagWatch lag, int rate, String label)
            throws InterruptedException {
        run.progress().now(label + ": waiting for the first prediction, then " + WARM_UP.toSeconds() + " s warm-up");
        long deadline = System.nanoTime() + FIRST_PREDICTION_TIMEOUT.toNanos();
        while (tail.pollDistinct(POLL) == 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(label + ": no prediction within " + FIRST_PREDICTION_TIMEOUT
                        .toSeconds() + " s of starting the service");
            }
            run.progress().maybe(() -> label + ": waiting for the first prediction");
        }
        long warm = System.nanoTime() + WARM_UP.toNanos();
        long catchUpDeadline = warm + CATCH_UP_TIMEOUT.toNanos();
        boolean caughtUp = false;
        while (!caughtUp && System.nanoTime() < catchUpDeadline) {
            tail.pollDistinct(POLL);
            long last = lag.last();
            caughtUp = System.nanoTime() >= warm && last >= 0 && last <= rate;
            run.progress().maybe(() -> String.format(Locale.ROOT, "%s: catching up with the start, lag %,d", label,
                    last));
        }
        if (!caughtUp) {
            run.progress().now(String.format(Locale.ROOT, "%s: still behind %d s after the warm-up; measuring with "
                    + "the backlog", label, CATCH_UP_TIMEOUT.toSeconds()));
        }
        lag.resetMax();
        return new Window(System.currentTimeMillis(), System.nanoTime(), traffic.sentEvents(), caughtUp);
    }

    /** The measured window: latencies of the predictions of the events sent after it started. */
    private final class Window {
        final long startMillis;
        final long startNanos;
        final long sentBefore;
        final boolean caughtUp;
        final LatencySamples latency = new LatencySamples();

        Window(long startMillis, long startNanos, long sentBefore, boolean caughtUp) {
            this.startMillis = startMillis;
            this.startNanos = startNanos;
            this.sentBefore = sentBefore;
            this.caughtUp = caughtUp;
        }

        /** Event time (the generator's wall clock at send) to receipt, per prediction. */
        void poll(CommittedTail tail) {
            tail.poll(POLL, (r, receivedAt) -> {
                long eventTime = predictions.deserialize(r.topic(), r.value()).getEventTime().toEpochMilli();
                if (eventTime >= startMillis) {
                    latency.add(receivedAt - eventTime);
                }
            });
        }
    }
}
