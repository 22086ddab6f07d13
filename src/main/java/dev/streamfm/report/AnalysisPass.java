package dev.streamfm.report;

import dev.streamfm.evaluation.LabeledEvent;
import dev.streamfm.evaluation.Metrics;
import dev.streamfm.evaluation.PassResult;
import dev.streamfm.evaluation.PrequentialEvaluator;
import dev.streamfm.features.FeatureSpec;
import dev.streamfm.features.FieldKind;
import dev.streamfm.features.FieldSpec;
import dev.streamfm.model.Model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * The offline analysis: one prequential pass of the evaluator (the same feature pipeline, model
 * and analysis code as the service) that records the gradient analysis of every k-th step, then
 * the report written from those records.
 */
public final class AnalysisPass {

    /**
     * @param input   what is read, for the report's title
     * @param every   analyse every how many training steps (1 = every step)
     * @param window  examples in the rolling window of the online AUC and log loss over time
     * @param byField the field whose per-category conflict to report, if any
     */
    public record Settings(String input, int batchSize, int every, int window, Optional<String> byField) {

        public Settings {
            require(batchSize >= 1, "batch size must be >= 1, got " + batchSize);
            require(every >= 1, "--every must be >= 1 training step, got " + every);
            require(window >= 1, "--window must be >= 1 example, got " + window);
        }

        private static void require(boolean ok, String message) {
            if (!ok) {
                throw new ReportException(message);
            }
        }
    }

    private final FeatureSpec spec;
    private final Settings settings;
    private final AnalysisRecorder recorder;
    private boolean trained;

    private AnalysisPass(FeatureSpec spec, Settings settings, AnalysisRecorder recorder) {
        this.spec = spec;
        this.settings = settings;
        this.recorder = recorder;
    }

    /**
     * Checks the settings against the spec before any work, so that a wrong field name fails at once.
     *
     * @throws ReportException when the by-field is not a categorical or multi-valued field of the spec
     */
    public static AnalysisPass prepare(FeatureSpec spec, Settings settings) {
        return new AnalysisPass(spec, settings, new AnalysisRecorder(categories(spec, settings.byField())));
    }

    static Optional<CategoryConflicts> categories(FeatureSpec spec, Optional<String> byField) {
        if (byField.isEmpty()) {
            return Optional.empty();
        }
        String name = byField.get();
        List<FieldSpec> fields = spec.fields();
        for (int f = 0; f < fields.size(); f++) {
            if (fields.get(f).name().equals(name)) {
                if (fields.get(f).kind() == FieldKind.NUMERIC) {
                    throw new ReportException("--by-field " + name + " is a numeric field; per-category conflict "
                            + "needs a categorical or multi-valued field");
                }
                return Optional.of(new CategoryConflicts(name, spec.layout().fieldNames().indexOf(name)));
            }
        }
        throw new ReportException("--by-field: unknown field '" + name + "'; the feature spec's fields are "
                + String.join(", ", fields.stream().map(FieldSpec::name).toList()));
    }

    /** A finished pass, ready to be written as a report. */
    public record Recorded(RunInfo run, AnalysisRecorder recorder) {

        /** Writes the charts, report.html, summary.json and steps.jsonl into {@code out}. */
        public ReportSummary write(Path out) throws IOException {
            return AnalysisReport.write(run, recorder, out);
        }
    }

    /**
     * Runs the pass with {@code model}, built for the spec's layout; one pass per instance.
     *
     * @param progress told how many events the pass consumed, as it goes
     * @throws ReportException when the stream held no usable event
     */
    public Recorded train(Model model, Iterator<? extends LabeledEvent> stream, LongConsumer progress) {
        if (trained) {
            throw new IllegalStateException("an analysis pass records one pass; prepare another for the next");
        }
        trained = true;
        PrequentialEvaluator evaluator = new PrequentialEvaluator(model, spec, settings.batchSize());
        PassResult pass = evaluator.train(stream, progress, settings.every(), recorder.listener(settings.window()));
        if (pass.examples() == 0) {
            throw new ReportException("the stream held no usable event"
                    + (pass.rejectedTotal() > 0 ? " (" + pass.rejectedTotal() + " rejected: " + pass.rejected() + ")"
                    : "") + "; nothing to analyse");
        }
        Metrics all = pass.scores().all();
        Optional<Metrics> bayes = pass.scores().reference(0, pass.examples());
        RunInfo run = new RunInfo(settings.input(), model.config().type().label(), settings.every(),
                settings.batchSize(), pass.examples(), pass.steps(), all.auc(), all.logloss(),
                bayes.map(Metrics::auc).orElse(Double.NaN), bayes.map(Metrics::logloss).orElse(Double.NaN),
                pass.seconds());
        return new Recorded(run, recorder);
    }
}
