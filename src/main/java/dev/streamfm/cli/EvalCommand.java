package dev.streamfm.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamfm.evaluation.EvalSummary;
import dev.streamfm.evaluation.Metrics;
import dev.streamfm.evaluation.PassResult;
import dev.streamfm.evaluation.PrequentialEvaluator;
import dev.streamfm.model.Model;
import dev.streamfm.model.ModelConfig;
import dev.streamfm.model.ModelType;
import dev.streamfm.model.Models;
import dev.streamfm.replay.LogFormat;
import dev.streamfm.replay.ReaderOptions;
import dev.streamfm.synth.Drift;
import dev.streamfm.synth.SynthConfig;
import dev.streamfm.synth.SynthShape;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.LongConsumer;

/** {@code streamfm eval}: offline prequential evaluation without Kafka, with the service's feature and model code. */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Offline prequential evaluation without Kafka: every micro-batch is predicted, then trained "
                + "on, with the same feature pipeline and model code as the service. On a synthetic stream the "
                + "Bayes-optimal AUC and logloss (from the planted teacher's true probabilities) are the ceiling."},
        footerHeading = "%nExamples:%n",
        footer = {"  streamfm eval --synth frappe-like --count 300000 --window 100000",
                "  streamfm eval --synth criteo-like --count 50000 --drift abrupt --json",
                "  streamfm eval --file train.libfm --format libfm --holdout test.libfm",
                "  streamfm eval --file day_0.gz --format criteo \\",
                "      --spec config/features-criteo-like.yaml",
                "  streamfm eval --file clicks.csv --format csv --numeric price,age",
                "",
                "Without --spec, a log file is first scanned once and every field seen goes into the spec: "
                        + "categorical fields with 2 x (distinct values) + 1 hash buckets, at most --buckets; "
                        + "numeric fields (Criteo I1..I13, libsvm features, --numeric CSV columns) with a "
                        + "sign-preserving log1p. --json ends the output with one JSON object on the last line."})
public final class EvalCommand implements Callable<Integer> {

    private static final int PROGRESS_WIDTH = 100;

    @Spec
    CommandSpec command;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--synth", paramLabel = "SHAPE", description = "synthetic stream: frappe-like or criteo-like")
        String shape;

        @Option(names = "--file", paramLabel = "FILE", description = "log file (.gz read transparently)")
        Path file;
    }

    @Option(names = "--count", defaultValue = "100000", description = "synthetic events (default: ${DEFAULT-VALUE})")
    long count;

    @Option(names = "--seed", defaultValue = "1", description = "synthetic stream seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--drift", defaultValue = "none", paramLabel = "none|gradual|abrupt",
            description = "teacher drift: gradual turns a quarter over the stream, abrupt switches halfway")
    String drift;

    @Option(names = "--base-rate", defaultValue = "0.25", description = "synthetic mean click rate (default: ${DEFAULT-VALUE})")
    double baseRate;

    @Option(names = "--holdout-count", defaultValue = "0",
            description = "synthetic: score the next N events of the stream with the model frozen")
    long holdoutCount;

    @Option(names = "--format", paramLabel = "libfm|libsvm|criteo|csv", description = "format of --file and --holdout")
    String format;

    @Option(names = "--spec", paramLabel = "FILE", description = "feature spec YAML (default: inferred from --file)")
    Path specFile;

    @Option(names = "--buckets", defaultValue = "100000",
            description = "most hash buckets per categorical field of an inferred spec (default: ${DEFAULT-VALUE})")
    int buckets;

    @Option(names = "--label-column", defaultValue = "label", description = "CSV label column (default: ${DEFAULT-VALUE})")
    String labelColumn;

    @Option(names = "--numeric", split = ",", paramLabel = "COLUMN", description = "CSV columns read as numbers")
    Set<String> numericColumns = Set.of();

    @Option(names = "--delimiter", defaultValue = ",", description = "CSV delimiter (default: ${DEFAULT-VALUE})")
    char delimiter;

    @Option(names = "--holdout", paramLabel = "FILE", description = "file scored after the pass with the model frozen")
    Path holdoutFile;

    @Option(names = "--model", defaultValue = "deepfm", paramLabel = "lr|fm|deepfm|deepfm-decoupled",
            description = "model variant (default: ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--batch", defaultValue = "256", description = "micro-batch size (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--embedding-dim", description = "D (default: the shape's, 16 for files)")
    Integer embeddingDim;

    @Option(names = "--hidden", split = ",", paramLabel = "UNITS",
            description = "DNN widths, e.g. 400,400,400 (default: the shape's, 400,400,400 for files)")
    List<Integer> hidden;

    @Option(names = "--lr", description = "Adagrad learning rate of the tables (default: ModelConfig.defaults)")
    Double embeddingLr;

    @Option(names = "--dense-lr", description = "Adam learning rate of the dense layers")
    Double denseLr;

    @Option(names = "--l2", description = "L2 penalty on the table rows a batch reads")
    Double l2;

    @Option(names = "--dropout", description = "dropout rate of the hidden layers")
    Double dropout;

    @Option(names = "--batch-norm", description = "batch normalisation after each hidden layer")
    boolean batchNorm;

    @Option(names = "--init-accumulator", description = "Adagrad initial accumulator")
    Double initAccumulator;

    @Option(names = "--init-stddev", description = "stddev of the embedding initialisation")
    Double initStddev;

    @Option(names = "--model-seed", description = "seed of the model's initialisation")
    Long modelSeed;

    @Option(names = "--window", defaultValue = "0", description = "also report the metrics of the last N examples")
    int window;

    @Option(names = "--json", description = "end with one JSON object on the last line")
    boolean json;

    @Option(names = "--no-progress", description = "no progress bar on stderr")
    boolean noProgress;

    /** User mistakes (bad flags, files, specs) throw; Main turns them into one line and exit code 2. */
    @Override
    public Integer call() throws IOException {
        PrintWriter out = command.commandLine().getOut();
        PrintWriter err = command.commandLine().getErr();
        EvalInput input = input(err);
        EvalSummary summary = run(input, modelConfig(), err);
        printTable(out, summary);
        if (json) {
            out.println(new ObjectMapper().writeValueAsString(summary.jsonFields()));
        }
        out.flush();
        return 0;
    }

    private EvalInput input(PrintWriter err) throws IOException {
        require(count >= 1, "--count must be >= 1, got " + count);
        require(holdoutCount >= 0, "--holdout-count must be >= 0, got " + holdoutCount);
        require(window >= 0, "--window must be >= 0, got " + window);
        require(batch >= 1, "--batch must be >= 1, got " + batch);
        if (source.shape != null) {
            require(format == null && specFile == null && holdoutFile == null,
                    "--format, --spec and --holdout go with --file; with --synth use --holdout-count");
            SynthConfig synth = SynthConfig.defaults(seed).withBaseRate(baseRate).withDrift(Drift.parse(drift, count));
            return EvalInput.synthetic(SynthShape.parse(source.shape), synth, count, holdoutCount);
        }
        require(format != null, "--file needs --format libfm|libsvm|criteo|csv");
        require(holdoutCount == 0, "--holdout-count goes with --synth; with --file use --holdout FILE");
        ReaderOptions options = new ReaderOptions(labelColumn, numericColumns, delimiter);
        return EvalInput.file(source.file, LogFormat.parse(format), options, Optional.ofNullable(specFile), buckets,
                Optional.ofNullable(holdoutFile), err);
    }

    private ModelConfig modelConfig() {
        ModelType type = ModelType.parse(model);
        Optional<SynthShape> shape = Optional.ofNullable(source.shape).map(SynthShape::parse);
        ModelConfig d = ModelConfig.defaults(type,
                embeddingDim != null ? embeddingDim : shape.map(SynthShape::embeddingDim).orElse(16),
                hidden != null ? hidden : shape.map(SynthShape::hiddenUnits).orElse(List.of(400, 400, 400)));
        return new ModelConfig(type, d.embeddingDim(), d.hiddenUnits(), batchNorm,
                dropout != null ? dropout : d.dropout(),
                embeddingLr != null ? embeddingLr : d.embeddingLr(),
                denseLr != null ? denseLr : d.denseLr(),
                l2 != null ? l2 : d.l2(),
                initAccumulator != null ? initAccumulator : d.initAccumulator(),
                initStddev != null ? initStddev : d.initStddev(),
                modelSeed != null ? modelSeed : d.seed());
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    private EvalSummary run(EvalInput input, ModelConfig config, PrintWriter err) throws IOException {
        try (Model m = Models.create(config, input.spec.layout())) {
            PrequentialEvaluator evaluator = new PrequentialEvaluator(m, input.spec, batch);
            PassResult training;
            try (Progress p = progress("train", input.size, err)) {
                training = evaluator.train(input.training.open(), p);
            }
            Optional<PassResult> holdout = Optional.empty();
            if (input.holdout.isPresent()) {
                try (Progress p = progress("holdout", -1, err)) {
                    holdout = Optional.of(evaluator.score(input.holdout.get().open(), p));
                }
            }
            int w = Math.min(window, training.examples());
            return new EvalSummary(config.type().label(), input.description, training.scores().all(), w,
                    w > 0 ? Optional.of(training.scores().last(w)) : Optional.empty(),
                    training.scores().reference(0, training.examples()),
                    w > 0 ? training.scores().referenceLast(w) : Optional.empty(),
                    holdout.map(h -> h.scores().all()),
                    holdout.flatMap(h -> h.scores().reference(0, h.examples())),
                    training.rejectedTotal() + holdout.map(PassResult::rejectedTotal).orElse(0L),
                    input.badLines(), training.seconds());
        }
    }

    /** Events consumed, shown as a progress bar on stderr unless --no-progress. */
    private interface Progress extends LongConsumer, AutoCloseable {
        @Override
        void close();
    }

    private Progress progress(String task, long total, PrintWriter err) {
        if (noProgress) {
            return new Progress() {
                @Override
                public void accept(long n) {
                }

                @Override
                public void close() {
                }
            };
        }
        ProgressBar bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).showSpeed()
                .setUpdateIntervalMillis(500).setConsumer(new DelegatingProgressBarConsumer(line -> {
                    err.print('\r' + line);
                    err.flush();
                }, PROGRESS_WIDTH)).build();
        return new Progress() {
            @Override
            public void accept(long n) {
                bar.stepBy(n);
            }

            @Override
            public void close() {
                bar.close();
                err.println();
                err.flush();
            }
        };
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
    }

    private static void row(PrintWriter out, String name, Metrics m) {
        out.printf(Locale.ROOT, "%-22s %10d %8.4f %8.4f %8.3f%n", name, m.examples(), m.auc(), m.logloss(),
                m.calibration());
    }
}
