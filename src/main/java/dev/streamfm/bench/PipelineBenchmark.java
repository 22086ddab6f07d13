package dev.streamfm.bench;

import dev.streamfm.config.ModelSetup;
import dev.streamfm.config.Settings;
import dev.streamfm.kafka.EmbeddedKafkaBroker;
import dev.streamfm.synth.SynthConfig;
import dev.streamfm.synth.SyntheticGenerator;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The streaming service measured against its own ceilings in one run. Catch-up phases run on a
 * broker in a JVM of its own (the service and the broker each get their own heap and collector, as
 * in production); live runs on a broker in this JVM (the one-machine set-up of {@code demo}). The
 * service is started only through {@link dev.streamfm.stream.StreamfmService} and configured only
 * through settings, so a changed topology is measured as it is.
 */
public final class PipelineBenchmark {

    private static final Logger log = LoggerFactory.getLogger(PipelineBenchmark.class);

    /**
     * A catch-up phase whose output stops growing this long is reported incomplete. Longer than
     * the producers' delivery timeout (120 s), so a transaction stuck in retries can fail and be
     * retried by Kafka Streams before the phase gives up on it.
     */
    private static final Duration STALL = Duration.ofSeconds(150);

    private PipelineBenchmark() {
    }

    public static PipelineReport run(PipelinePlan plan, Consumer<String> progressOut) throws InterruptedException {
        Path workDir = createWorkDir();
        try {
            ProgressLine progress = new ProgressLine(progressOut);
            BenchRun run = new BenchRun(plan.base(), Long.toString(System.currentTimeMillis(), 36), workDir, progress);
            ModelSetup setup = ModelSetup.from(plan.base());
            SyntheticGenerator generator = new SyntheticGenerator(setup.shape(), SynthConfig.defaults(1));
            List<String> failures = new ArrayList<>();
            List<ScorerCatchUp> scorer = new ArrayList<>();
            TrainerCatchUp trainer = null;
            if (plan.phases().contains(PipelinePlan.Phase.SCORER) || plan.phases().contains(PipelinePlan.Phase.TRAINER)) {
                progress.now("starting a broker in its own JVM for the catch-up phases");
                try (BrokerProcess broker = BrokerProcess.start(workDir)) {
                    CatchUpMeter meter = new CatchUpMeter(progress, STALL);
                    warmUp(plan, run.warmUp(), broker.bootstrapServers(), meter, generator, failures);
                    if (plan.phases().contains(PipelinePlan.Phase.SCORER)) {
                        ScorerCatchUpPhase phase = new ScorerCatchUpPhase(run, broker.bootstrapServers(), meter);
                        for (int r = 1; r <= plan.repeats(); r++) {
                            int repeat = r;
                            for (String g : plan.guarantees()) {
                                String what = "scorer catch-up " + g + " (run " + repeat + "/" + plan.repeats() + ")";
                                attempt(what, () -> phase.run(g, repeat, plan.events(), generator), failures,
                                        progress).ifPresent(scorer::add);
                            }
                        }
                    }
                    if (plan.phases().contains(PipelinePlan.Phase.TRAINER)) {
                        trainer = attempt("trainer catch-up", () -> new TrainerCatchUpPhase(run,
                                broker.bootstrapServers(), meter).run(plan.events(), generator), failures, progress)
                                .orElse(null);
                    }
                }
            }
            List<LiveRun> live = new ArrayList<>();
            if (plan.phases().contains(PipelinePlan.Phase.LIVE)) {
                progress.now("starting a broker in this JVM for the live runs");
                try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
                    LivePhase phase = new LivePhase(run, broker.bootstrapServers());
                    for (String g : plan.guarantees()) {
                        for (int rate : plan.rates()) {
                            attempt("live " + g + " " + rate + "/s", () -> phase.run(g, rate, plan.duration(),
                                    generator), failures, progress).ifPresent(live::add);
                        }
                    }
                }
            }
            return new PipelineReport(setup.shape().name(), setup.modelConfig().type().label(),
                    plan.base().getInt(Settings.PARTITIONS), plan.events(), plan.warmUp(), plan.duration().toMillis() / 1000.0,
                    scorer, ScorerMedian.of(scorer), trainer, live, failures);
        } finally {
            deleteRecursively(workDir);
        }
    }

    /**
     * Each catch-up phase once on a backlog of its own, untimed. A cold run measures the JIT: in the
     * first 200k events C2 compilation took more than a core in this JVM and most of one in the
     * broker's (README, bench pipeline), while a service runs for days.
     */
    private static void warmUp(PipelinePlan plan, BenchRun warm, String bootstrapServers, CatchUpMeter meter,
                               SyntheticGenerator generator, List<String> failures) throws InterruptedException {
        long n = plan.warmUp();
        if (n == 0) {
            return;
        }
        warm.progress().now(String.format(Locale.ROOT, "warm-up: %,d records through each catch-up phase, not timed", n));
        if (plan.phases().contains(PipelinePlan.Phase.SCORER)) {
            String g = plan.guarantees().get(0);
            attempt("warm-up scorer catch-up " + g, () -> new ScorerCatchUpPhase(warm, bootstrapServers, meter)
                    .run(g, 1, n, generator), failures, warm.progress());
        }
        if (plan.phases().contains(PipelinePlan.Phase.TRAINER)) {
            attempt("warm-up trainer catch-up", () -> new TrainerCatchUpPhase(warm, bootstrapServers, meter)
                    .run(n, generator), failures, warm.progress());
        }
    }

    /** One measurement of a phase. */
    private interface Measurement<T> {
        T run() throws InterruptedException;
    }

    /**
     * Runs one measurement; a failure is logged and listed, and the run goes on, so one phase that
     * breaks does not cost the figures of all the others.
     */
    private static <T> Optional<T> attempt(String what, Measurement<T> measurement, List<String> failures,
                                           ProgressLine progress) throws InterruptedException {
        try {
            return Optional.of(measurement.run());
        } catch (RuntimeException e) {
            log.error("bench pipeline: {} failed", what, e);
            failures.add(what + ": " + e.getMessage());
            progress.now(what + " FAILED: " + e.getMessage());
            return Optional.empty();
        }
    }

    private static Path createWorkDir() {
        try {
            return Files.createTempDirectory("streamfm-bench-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the benchmark's scratch directory", e);
        }
    }

    private static void deleteRecursively(Path root) {
        try {
            Utils.delete(root.toFile());
        } catch (IOException e) {
            // a scratch directory left in the temp dir is harmless
        }
    }
}
