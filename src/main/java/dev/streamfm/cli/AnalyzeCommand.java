package dev.streamfm.cli;

import dev.streamfm.analysis.ConflictSummary;
import dev.streamfm.model.Model;
import dev.streamfm.model.ModelConfig;
import dev.streamfm.model.Models;
import dev.streamfm.report.AnalysisPass;
import dev.streamfm.report.AnalysisReport;
import dev.streamfm.report.ReportSummary;
import dev.streamfm.report.RunInfo;
import dev.streamfm.report.TowerConflict;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** {@code streamfm analyze}: the offline gradient-analysis report of one prequential pass. */
@Command(name = "analyze", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Offline gradient analysis: one prequential pass over the same input as eval, with the "
                + "service's feature pipeline, model and analysis code, that records every k-th step's "
                + "FM-vs-DNN gradient conflict per field, dominance, layer and field importance and gradient "
                + "norms, then writes into --out: charts (PNG and SVG), report.html with the headline figures, "
                + "summary.json with the same figures, and steps.jsonl, the raw per-step records they derive from."},
        footerHeading = "%nExamples:%n",
        footer = {"  streamfm analyze --synth frappe-like --count 200000 --every 2 \\",
                "      --by-field f0 --out report",
                "  streamfm analyze --synth criteo-like --model deepfm-decoupled --out decoupled",
                "  streamfm analyze --file train.libfm --format libfm --every 5 --out report",
                "",
                "Open DIR/report.html in a browser. --by-field adds DARE's per-category figure: the "
                        + "conflicting share of each of the field's 20 most frequent values."})
public final class AnalyzeCommand implements Callable<Integer> {

    private static final int FIELDS_SHOWN = 5;

    @Spec
    CommandSpec command;

    @Mixin
    InputOptions input;

    @Mixin
    ModelOptions model;

    @Option(names = "--every", defaultValue = "10", paramLabel = "K",
            description = "analyse the gradients of every K-th training step; 1 = every step "
                    + "(default: ${DEFAULT-VALUE})")
    int every;

    @Option(names = "--by-field", paramLabel = "FIELD",
            description = "also report the conflict per value of this categorical field (its 20 most frequent)")
    String byField;

    @Option(names = "--window", defaultValue = "10000",
            description = "examples in the rolling window of the online AUC and log loss over time "
                    + "(default: ${DEFAULT-VALUE})")
    int window;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "directory the report is written to, created if needed; its report files are replaced")
    Path out;

    @Mixin
    ProgressOptions progress;

    /** User mistakes (bad flags, files, fields, an empty stream) throw; Main prints them as one line, exit code 2. */
    @Override
    public Integer call() throws IOException {
        // The charts are drawn with AWT, which must not look for a display on a server.
        System.setProperty("java.awt.headless", "true");
        PrintWriter stdout = command.commandLine().getOut();
        PrintWriter err = command.commandLine().getErr();
        checkOutputDirectory();
        EvalInput in = input.open("analyze", 0, Optional.empty(), err);
        int batch = model.batch();
        ModelConfig config = model.config(input.shape());
        AnalysisPass pass = AnalysisPass.prepare(in.spec,
                new AnalysisPass.Settings(in.description, batch, every, window, Optional.ofNullable(byField)));
        AnalysisPass.Recorded recorded;
        try (Model m = Models.create(config, in.spec.layout());
             ProgressOptions.Progress p = progress.start("analyze", in.size, err)) {
            recorded = pass.train(m, in.training.open(), p);
        }
        long start = System.nanoTime();
        ReportSummary summary = recorded.write(out);
        double seconds = (System.nanoTime() - start) / 1e9;
        print(stdout, summary, in.badLines(), seconds);
        return 0;
    }

    /** Fails before the pass, not after it, when the report cannot be written. */
    private void checkOutputDirectory() throws IOException {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new IllegalArgumentException("--out " + out + " is a file; give a directory for the report");
        }
        Files.createDirectories(out);
        if (!Files.isWritable(out)) {
            throw new IllegalArgumentException("--out " + out + " is not writable");
        }
    }

    /** @param writeSeconds time spent writing the charts and files */
    private void print(PrintWriter o, ReportSummary s, long badLines, double writeSeconds) {
        RunInfo run = s.run();
        o.printf(Locale.ROOT, "%s on %s: %d examples, %d steps, %d analysed (every %d)%n", run.model(), run.input(),
                run.examples(), run.steps(), s.analysedSteps(), run.every());
        o.printf(Locale.ROOT, "online AUC %.4f, logloss %.4f", run.auc(), run.logloss());
        if (Double.isFinite(run.bayesAuc())) {
            o.printf(Locale.ROOT, " (Bayes-optimal %.4f, %.4f)", run.bayesAuc(), run.bayesLogloss());
        }
        o.println();
        Optional<ConflictSummary> all = s.conflict().flatMap(TowerConflict::all);
        all.ifPresent(c -> o.printf(Locale.ROOT, "FM-vs-DNN conflict, all fields: conflicting share %.3f, mean cosine "
                + "%.3f, median dominance %.3g, Phi %.3f%n", c.conflictingShare(), c.meanCosine(), c.medianDominance(),
                c.meanMagnitudeSimilarity()));
        s.conflict().ifPresent(c -> {
            if (!c.byField().isEmpty()) {
                o.println("most conflicting fields: " + mostConflicting(c.byField()));
            }
        });
        List<String> ranking = s.fieldRanking();
        o.println("most important fields: " + String.join(", ", ranking.subList(0, Math.min(FIELDS_SHOWN,
                ranking.size()))));
        s.notes().forEach(n -> o.println("note: " + n));
        if (badLines > 0) {
            o.println("bad lines skipped: " + badLines);
        }
        o.printf(Locale.ROOT, "pass %.1f s, charts and files %.1f s; report: %s%n", run.seconds(), writeSeconds,
                out.resolve(AnalysisReport.HTML));
        o.flush();
    }

    private static String mostConflicting(Map<String, ConflictSummary> byField) {
        return byField.entrySet().stream()
                .sorted(Comparator.comparingDouble((Map.Entry<String, ConflictSummary> e) ->
                        e.getValue().conflictingShare()).reversed())
                .limit(FIELDS_SHOWN)
                .map(e -> String.format(Locale.ROOT, "%s %.2f", e.getKey(), e.getValue().conflictingShare()))
                .collect(Collectors.joining(", "));
    }
}
