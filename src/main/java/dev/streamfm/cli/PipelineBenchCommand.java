package dev.streamfm.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import dev.streamfm.bench.CatchUp;
import dev.streamfm.bench.LiveRun;
import dev.streamfm.bench.PipelineBenchmark;
import dev.streamfm.bench.PipelinePlan;
import dev.streamfm.bench.PipelineReport;
import dev.streamfm.bench.ProcessSample;
import dev.streamfm.bench.ScorerCatchUp;
import dev.streamfm.bench.ScorerMedian;
import dev.streamfm.bench.TrainerCatchUp;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code bench pipeline}: the streaming service against its own ceilings, measured in the same run. */
@Command(name = "pipeline", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The service through Kafka, each figure with its ceiling from the same run:",
                "  scorer catch-up: N preloaded events until every prediction is committed, per processing "
                        + "guarantee, vs a stateless Kafka Streams pass-through of the same events;",
                "  trainer catch-up: N preloaded labeled examples until trained, vs bench model's training "
                        + "throughput at the same batch size;",
                "  live: --role all at fixed rates with delayed click labels: how long the start took to catch up, "
                        + "then lag, event-to-prediction latency at a read_committed consumer, orphaned clicks, "
                        + "examples trained, model freshness.",
                "Catch-up runs on a broker in its own JVM, live on a broker in this JVM. Progress goes to stderr."},
        footer = {"", "Examples:",
                "  streamfm bench pipeline",
                "  streamfm bench pipeline --events 100000 --rates 1000,2000,5000 --duration PT60S --json",
                "  streamfm bench pipeline --phases scorer --guarantees exactly_once_v2 "
                        + "--set streamfm.scoring.batch.size=4096"})
final class PipelineBenchCommand implements Callable<Integer> {

    /** snake_case keys; an undefined figure (no sample) is null, since JSON has no NaN. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .registerModule(new SimpleModule().addSerializer(Double.TYPE, new FiniteOrNull())
                    .addSerializer(Double.class, new FiniteOrNull()));

    @Spec
    CommandSpec spec;

    @Mixin
    ServiceOptions options;

    @Option(names = "--events", paramLabel = "N", defaultValue = "200000",
            description = "Backlog of each catch-up phase (default: ${DEFAULT-VALUE}).")
    long events;

    @Option(names = "--warm-up", paramLabel = "N", defaultValue = "1000000",
            description = "Backlog each catch-up phase works through once, untimed, before it is measured, so that "
                    + "the figures are not those of JIT compilation (the scorer was still getting faster after "
                    + "200,000); 0 = measure cold (default: ${DEFAULT-VALUE}).")
    long warmUp;

    @Option(names = "--repeats", paramLabel = "N", defaultValue = "3",
            description = "Measured runs of each scorer catch-up, the guarantees interleaved; the table shows every "
                    + "run and the median ratio, since one run's figure varies by tens of percent on a loaded "
                    + "machine (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--rates", split = ",", paramLabel = "EVENTS_PER_S", defaultValue = "1000,2000,5000,10000",
            description = "Live rates (default: ${DEFAULT-VALUE}).")
    List<Integer> rates;

    @Option(names = "--duration", paramLabel = "ISO-8601", defaultValue = "PT60S",
            description = "How long each live rate runs (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--guarantees", split = ",", paramLabel = "GUARANTEE",
            defaultValue = "exactly_once_v2,at_least_once",
            description = "Processing guarantees of the scorer catch-up and the live runs (default: ${DEFAULT-VALUE}).")
    List<String> guarantees;

    @Option(names = "--phases", split = ",", paramLabel = "PHASE", defaultValue = "scorer,trainer,live",
            description = "Phases to run: scorer, trainer, live (default: ${DEFAULT-VALUE}).")
    List<PipelinePlan.Phase> phases;

    @Option(names = "--json", description = "End the output with one JSON object on the last line.")
    boolean json;

    @Override
    public Integer call() throws InterruptedException, JsonProcessingException {
        if (options.bootstrapServers != null) {
            throw new ParameterException(spec.commandLine(),
                    "bench pipeline starts its own brokers; --bootstrap-servers does not apply");
        }
        PipelinePlan plan;
        try {
            plan = PipelinePlan.builder(options.load(Map.of())).events(events).warmUp(warmUp).repeats(repeats)
                    .rates(rates).duration(duration).guarantees(guarantees).phases(EnumSet.copyOf(phases)).build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        PrintStream err = System.err;
        if (!ProcessSample.heapFixed()) {
            err.println("[bench pipeline] WARNING the heap is not fixed (-Xms below -Xmx): on a growing heap the "
                    + "scorer measured far below its fixed-heap figures (README, bench pipeline). Run it as "
                    + "services run: java -Xms2g -Xmx2g -jar streamfm.jar bench pipeline");
        }
        PipelineReport report = PipelineBenchmark.run(plan, line -> err.println("[bench pipeline] " + line));
        PrintStream out = System.out;
        out.print(render(report));
        if (json) {
            out.println(JSON.writeValueAsString(report));
        }
        return report.failures().isEmpty() ? 0 : 1;
    }

    static String render(PipelineReport r) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "bench pipeline: %s %s, %d partitions; ratios are against the ceiling measured in the same run%n",
                r.shape(), r.model(), r.partitions()));
        if (!r.scorer().isEmpty() || r.trainer() != null) {
            sb.append(String.format(Locale.ROOT, "%ncatch-up: %,d preloaded records, broker in its own JVM, %s%n",
                    r.events(), r.warmUp() == 0 ? "cold (no warm-up)"
                            : String.format(Locale.ROOT, "after an untimed warm-up of %,d", r.warmUp())));
            TextTable t = new TextTable("phase", "guarantee", "per s", "ceiling", "ceiling per s", "ratio",
                    "start-up s", "outputs", "duplicates");
            for (ScorerCatchUp s : r.scorer()) {
                t.row("scorer" + (s.repeat() == 1 ? "" : " #" + s.repeat()), s.guarantee(),
                        thousands(s.scorer().perSecond()), "pass-through",
                        thousands(s.ceiling().perSecond()), ratio(s.ratio()), seconds(s.scorer().startupSeconds()),
                        outputs(s.scorer()), s.duplicates());
            }
            TrainerCatchUp tr = r.trainer();
            if (tr != null) {
                t.row("trainer", "batch " + tr.batchSize(), thousands(tr.trainer().perSecond()), "bench model",
                        thousands(tr.benchModelPerSecond()), ratio(tr.ratio()), seconds(tr.trainer().startupSeconds()),
                        outputs(tr.trainer()), "-");
                t.row("", "", "", "pass-through", thousands(tr.passThrough().perSecond()),
                        ratio(tr.passThroughRatio()), "", "", "");
            }
            sb.append(t.render());
            for (ScorerMedian m : r.scorerMedians()) {
                sb.append(String.format(Locale.ROOT, "scorer %s: median %s/s, ratio %s (%s to %s) over %d run%s%n",
                        m.guarantee(), thousands(m.perSecond()), ratio(m.ratio()), ratio(m.ratioMin()),
                        ratio(m.ratioMax()), m.runs(), m.runs() == 1 ? "" : "s"));
            }
        }
        if (!r.live().isEmpty()) {
            sb.append(String.format(Locale.ROOT, "%nlive: --role all, %.0f s per rate from when the service had caught "
                    + "up with its start, broker in this JVM; latency = event time to a read_committed consumer%n",
                    r.liveSecondsPerRate()));
            TextTable t = new TextTable("guarantee", "rate/s", "caught up s", "delivered", "kept up", "lag end",
                    "lag max", "p50 ms", "p99 ms", "missing", "orphaned clicks", "trained", "fresh p99 s");
            for (LiveRun l : r.live()) {
                String caughtUp = Double.isNaN(l.lag().caughtUpSeconds()) ? "never"
                        : String.format(Locale.ROOT, "%.1f", l.lag().caughtUpSeconds());
                t.row(l.guarantee(), l.rate(), caughtUp, ratio(l.deliveredRatio()), l.keptUp() ? "yes" : "NO",
                        l.lag().end(),
                        l.lag().max(), millis(l.latency().p50Millis()), millis(l.latency().p99Millis()),
                        l.latency().missing(), l.learning().orphanedClicks(), l.learning().examplesTrained(),
                        Double.isNaN(l.learning().freshnessP99Seconds()) ? "n/a"
                                : "<= " + l.learning().freshnessP99Seconds());
            }
            sb.append(t.render());
        }
        for (String f : r.failures()) {
            sb.append(String.format("%nFAILED %s", f));
        }
        if (!r.failures().isEmpty()) {
            sb.append(System.lineSeparator());
        }
        return sb.toString();
    }

    private static final class FiniteOrNull extends StdSerializer<Double> {
        FiniteOrNull() {
            super(Double.class);
        }

        @Override
        public void serialize(Double v, JsonGenerator gen, SerializerProvider provider) throws IOException {
            if (Double.isFinite(v)) {
                gen.writeNumber(v);
            } else {
                gen.writeNull();
            }
        }
    }

    private static String outputs(CatchUp c) {
        return String.format(Locale.ROOT, "%,d/%,d%s", c.done(), c.target(), c.complete() ? "" : " STALLED");
    }

    private static String thousands(double v) {
        return String.format(Locale.ROOT, "%.1fk", v / 1000);
    }

    private static String ratio(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private static String seconds(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String millis(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.0f", v);
    }
}
