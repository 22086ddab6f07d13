package dev.streamfm.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamfm.config.Durations;
import dev.streamfm.evaluation.DelayedFeedbackEvaluator;
import dev.streamfm.evaluation.EvalSummary;
import dev.streamfm.evaluation.LabelArrival;
import dev.streamfm.evaluation.PacedArrivals;
import dev.streamfm.evaluation.Metrics;
import dev.streamfm.evaluation.PassResult;
import dev.streamfm.evaluation.PrequentialEvaluator;
import dev.streamfm.features.FieldBuckets;
import dev.streamfm.model.DelayedFeedback;
import dev.streamfm.model.Model;
import dev.streamfm.model.ModelConfig;
import dev.streamfm.model.ModelDirectory;
import dev.streamfm.model.ModelType;
import dev.streamfm.model.Models;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code streamfm eval}: offline prequential evaluation without Kafka, with the service's feature and model code. */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Offline prequential evaluation without Kafka: every micro-batch is predicted, then trained "
                + "on, with the same feature pipeline and model code as the service. On a synthetic stream the "
                + "Bayes-optimal AUC and logloss (from the planted teacher's true probabilities) are the ceiling."},
        footerHeading = "%nExamples:%n",
        footer = {"  streamfm eval --synth frappe-like --count 300000 --window 100000",
                "  streamfm eval --synth criteo-like --count 50000 --drift abrupt --json",
                "  streamfm eval --file train.libfm --format libfm --holdout test.libfm",
                "  streamfm eval --synth frappe-like --count 200000 --compare lr,fm,deepfm,xdeepfm,autoint --json",
                "  streamfm eval --file day_0.gz --format criteo \\",
                "      --spec config/features-criteo-like.yaml",
                "  streamfm eval --file clicks.csv --format csv --numeric price,age",
                "  streamfm eval --file train.libfm --format libfm --save-model model-a",
                "  streamfm eval --synth frappe-like --count 300000 --label-delay 1m --rate 500 \\",
                "      --attribution-window 2m --feedback fake-negative",
                "",
                "Without --spec, a log file is first scanned once and every field seen goes into the spec: "
                        + "categorical fields with enough hash buckets that about 1%% of the ids seen share a "
                        + "row (about 100 per id, at most --buckets; the table after the figures shows each "
                        + "field's expected collision share); "
                        + "numeric fields (Criteo I1..I13, libsvm features, --numeric CSV columns) with a "
                        + "sign-preserving log1p. --json ends the output with one JSON object on the last line."})
public final class EvalCommand implements Callable<Integer> {

    @Spec
    CommandSpec command;

    @Mixin
    InputOptions input;

    @Option(names = "--holdout-count", defaultValue = "0",
            description = "synthetic: score the next N events of the stream with the model frozen")
    long holdoutCount;

    @Option(names = "--holdout", paramLabel = "FILE", description = "file scored after the pass with the model frozen")
    Path holdoutFile;

    @Mixin
    ModelOptions model;

    @Mixin
    ArrivalOptions arrivalOptions;

    @Option(names = "--compare", split = ",", paramLabel = "TYPE", completionCandidates = ModelOptions.Variants.class,
            description = "train each of these variants (${COMPLETION-CANDIDATES}) on the same input in turn, "
                    + "with the other model options, and print one table: prequential AUC and logloss, holdout "
                    + "AUC, examples/s, parameters; replaces --model")
    List<String> compare;

    @Option(names = "--window", defaultValue = "0", description = "also report the metrics of the last N examples")
    int window;

    @Option(names = "--json", description = "end with one JSON object on the last line")
    boolean json;

    @Option(names = "--save-model", paramLabel = "DIR",
            description = "write the trained model and its spec to DIR, for `score --model DIR` and "
                    + "`serve --set streamfm.model.init=DIR`")
    Path saveModel;

    @Mixin
    ProgressOptions progress;

    /** User mistakes (bad flags, files, specs) throw; Main turns them into one line and exit code 2. */
    @Override
    public Integer call() throws IOException {
        PrintWriter out = command.commandLine().getOut();
        PrintWriter err = command.commandLine().getErr();
        Optional<LabelArrival> arrival = arrivalOptions.arrival();
        EvalInput in = input(err);
        if (compare != null) {
            List<EvalSummary> summaries = new ArrayList<>();
            for (String type : compare) {
                err.println("[eval] training " + type);
                summaries.add(run(in, withArrival(model.config(ModelType.parse(type), input.shape()), arrival), arrival,
                        err));
            }
            printComparison(out, summaries);
            if (json) {
                out.println(new ObjectMapper().writeValueAsString(comparisonJson(summaries)));
            }
        } else {
            EvalSummary summary = run(in, withArrival(model.config(input.shape()), arrival), arrival, err);
            printTable(out, summary);
            if (json) {
                out.println(new ObjectMapper().writeValueAsString(summary.jsonFields()));
            }
        }
        out.flush();
        return 0;
    }

    private static void printComparison(PrintWriter out, List<EvalSummary> summaries) {
        EvalSummary first = summaries.get(0);
        out.printf(Locale.ROOT, "%s, %d examples%n", first.source(), first.overall().examples());
        TextTable table = new TextTable("model", "AUC", "logloss", "holdout AUC", "examples/s", "parameters");
        for (EvalSummary s : summaries) {
            table.row(s.model(), f4(s.overall().auc()), f4(s.overall().logloss()),
                    s.holdout().map(h -> f4(h.auc())).orElse("-"),
                    String.format(Locale.ROOT, "%.0f", s.examplesPerSecond()),
                    String.format(Locale.ROOT, "%,d", s.parameters()));
        }
        first.bayes().ifPresent(b -> table.row("Bayes-optimal", f4(b.auc()), f4(b.logloss()),
                first.bayesHoldout().map(h -> f4(h.auc())).orElse("-"), "", ""));
        out.print(table.render());
        out.println("AUC and logloss are prequential (each batch scored before it is trained on); "
                + "holdout AUC is the frozen model's.");
    }

    private static String f4(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    private static Map<String, Object> comparisonJson(List<EvalSummary> summaries) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", summaries.get(0).source());
        m.put("models", summaries.stream().map(EvalSummary::jsonFields).toList());
        return m;
    }

    private EvalInput input(PrintWriter err) throws IOException {
        require(holdoutCount >= 0, "--holdout-count must be >= 0, got " + holdoutCount);
        require(window >= 0, "--window must be >= 0, got " + window);
        if (input.synthetic()) {
            require(!input.log.given() && holdoutFile == null,
                    "--format, --spec, --time-column and --holdout go with --file; with --synth use --holdout-count");
        } else {
            require(holdoutCount == 0, "--holdout-count goes with --synth; with --file use --holdout FILE");
        }
        return input.open("eval", holdoutCount, Optional.ofNullable(holdoutFile), err);
    }

    private static ModelConfig withArrival(ModelConfig config, Optional<LabelArrival> arrival) {
        return arrival.map(a -> config.withFeedback(a.feedback())).orElse(config);
    }

    private static void require(boolean ok, String message) {
        InputOptions.require(ok, message);
    }

    private EvalSummary run(EvalInput input, ModelConfig config, Optional<LabelArrival> arrival, PrintWriter err)
            throws IOException {
        int batch = model.batch();
        try (Model m = Models.create(config, input.spec.layout())) {
            PrequentialEvaluator evaluator = new PrequentialEvaluator(m, input.spec, batch);
            PassResult training;
            String source = input.description;
            try (ProgressOptions.Progress p = progress.start("train", input.size, err)) {
                if (arrival.isPresent()) {
                    LabelArrival a = arrival.get();
                    source += describe(a);
                    warnIfNothingIsReleased(a, input.size, err);
                    training = new DelayedFeedbackEvaluator(m, input.spec, batch, a).run(new PacedArrivals(
                            input.training.open(), arrivalOptions.rate, arrivalOptions.labelDelay.toMillis(), 1L), p);
                } else {
                    training = evaluator.train(input.training.open(), p);
                }
            }
            if (saveModel != null) {
                ModelDirectory.save(saveModel, m, input.spec);
                err.printf("saved the model (step %d) to %s%n", m.step(), saveModel);
            }
            Optional<PassResult> holdout = Optional.empty();
            if (input.holdout.isPresent()) {
                try (ProgressOptions.Progress p = progress.start("holdout", -1, err)) {
                    holdout = Optional.of(evaluator.score(input.holdout.get().open(), p));
                }
            }
            int w = Math.min(window, training.examples());
            return new EvalSummary(config.type().label(), source, training.scores().all(), w,
                    w > 0 ? Optional.of(training.scores().last(w)) : Optional.empty(),
                    training.scores().reference(0, training.examples()),
                    w > 0 ? training.scores().referenceLast(w) : Optional.empty(),
                    holdout.map(h -> h.scores().all()),
                    holdout.flatMap(h -> h.scores().reference(0, h.examples())),
                    training.rejectedTotal() + holdout.map(PassResult::rejectedTotal).orElse(0L),
                    input.badLines(), training.seconds(), input.buckets, m.parameterCount());
        }
    }

    private String describe(LabelArrival a) {
        return String.format(Locale.ROOT, ", served as the service would: %.0f events/s, clicks labeled within %s, "
                        + "window %s + grace %s, %s feedback", arrivalOptions.rate,
                Durations.format(arrivalOptions.labelDelay), Durations.format(Duration.ofMillis(a.windowMs())),
                Durations.format(Duration.ofMillis(a.graceMs())), a.feedback().label());
    }

    /** Window feedback on a stream shorter than the window trains nothing; say so instead of printing AUC 0.5 silently. */
    private void warnIfNothingIsReleased(LabelArrival a, long events, PrintWriter err) {
        double spanMs = events / arrivalOptions.rate * 1000;
        if (a.feedback() == DelayedFeedback.WINDOW && events > 0 && spanMs <= a.releaseDelayMs()) {
            err.printf(Locale.ROOT, "warning: %d events at %.0f/s span %s, less than window + grace (%s): under window "
                            + "feedback no example reaches the model before the stream ends. Use a shorter "
                            + "--attribution-window, a lower --rate, or --feedback fake-negative.%n", events,
                    arrivalOptions.rate, Durations.format(Duration.ofMillis((long) spanMs)),
                    Durations.format(Duration.ofMillis(a.releaseDelayMs())));
        }
    }

    private static void printTable(PrintWriter out, EvalSummary s) {
        out.printf(Locale.ROOT, "%s on %s%n", s.model(), s.source());
        out.printf(Locale.ROOT, "%-22s %10s %8s %8s %8s%n", "", "examples", "AUC", "logloss", "calib.");
        row(out, "progressive", s.overall());
        s.window().ifPresent(w -> row(out, "last " + s.windowSize(), w));
        s.bayes().ifPresent(b -> row(out, "Bayes-optimal", b));
        s.bayesWindow().ifPresent(b -> row(out, "Bayes last " + s.windowSize(), b));
        s.holdout().ifPresent(h -> row(out, "holdout (frozen)", h));
        s.bayesHoldout().ifPresent(b -> row(out, "Bayes holdout", b));
        out.printf(Locale.ROOT, "rejected %d, bad lines %d, %.1f s, %.0f examples/s%n", s.rejected(), s.badLines(),
                s.seconds(), s.examplesPerSecond());
        if (!s.buckets().isEmpty()) {
            out.printf(Locale.ROOT, "%-22s %10s %8s %s%n", "inferred field", "ids", "buckets", "expected collisions");
            for (FieldBuckets b : s.buckets()) {
                String atLeast = b.idsCapped() ? ">=" : "";
                out.printf(Locale.ROOT, "%-22s %10s %8d %s%.1f%%%n", b.field(), atLeast + b.ids(), b.buckets(), atLeast,
                        100 * b.expectedCollisionShare());
            }
        }
    }

    private static void row(PrintWriter out, String name, Metrics m) {
        out.printf(Locale.ROOT, "%-22s %10d %8.4f %8.4f %8.3f%n", name, m.examples(), m.auc(), m.logloss(),
                m.calibration());
    }
}
