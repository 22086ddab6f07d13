package dev.streamfm.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamfm.evaluation.Metrics;
import dev.streamfm.evaluation.PassResult;
import dev.streamfm.evaluation.PrequentialEvaluator;
import dev.streamfm.model.Model;
import dev.streamfm.model.ModelConfig;
import dev.streamfm.model.ModelType;
import dev.streamfm.model.Models;
import dev.streamfm.peer.PeerRun;
import dev.streamfm.peer.TribuoPeer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code bench peer}: StreamFM's LR, FM and DeepFM with default settings next to Tribuo's per-example
 * SGD LR and FM, all trained once over the same stream in this JVM and scored on the same holdout.
 */
@Command(name = "peer", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Trains StreamFM's LR, FM and DeepFM (default settings) and Tribuo 4.3's LinearSGDTrainer and "
                + "FMClassificationTrainer (AdaGrad, minibatch 1, one epoch in stream order) on the same stream, one "
                + "after the other in this JVM, then scores the same holdout with every model frozen: holdout AUC, "
                + "logloss and training examples/s. A synthetic holdout is the next --holdout-count events of the "
                + "stream, with the Bayes-optimal reference."},
        footer = {"", "Examples:",
                "  streamfm bench peer --file frappe.validation.libfm --format libfm --holdout frappe.test.libfm",
                "  streamfm bench peer --synth long-tail --count 200000 --holdout-count 50000 --json"})
public final class PeerBenchCommand implements Callable<Integer> {

    private static final List<ModelType> STREAMFM = List.of(ModelType.LR, ModelType.FM, ModelType.DEEPFM);
    private static final int BATCH = 256;
    private static final long TRIBUO_SEED = 1;

    @Spec
    CommandSpec command;

    @Mixin
    InputOptions input;

    @Option(names = "--holdout", paramLabel = "FILE", description = "file scored after training (with --file)")
    Path holdoutFile;

    @Option(names = "--holdout-count", defaultValue = "50000",
            description = "synthetic: score the next N events of the stream (default: ${DEFAULT-VALUE})")
    long holdoutCount;

    @Option(names = "--json", description = "end with one JSON object on the last line")
    boolean json;

    /** One model's holdout figures. */
    record Row(String model, Metrics holdout, double examplesPerSecond) {
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = command.commandLine().getOut();
        PrintWriter err = command.commandLine().getErr();
        InputOptions.require(input.synthetic() ? holdoutFile == null && holdoutCount > 0 : holdoutFile != null,
                "with --file give --holdout FILE; with --synth a positive --holdout-count");
        EvalInput in = input.open("bench peer", input.synthetic() ? holdoutCount : 0, Optional.ofNullable(holdoutFile),
                err);
        EvalInput.Pass holdout = in.holdout.orElseThrow();
        List<Row> rows = new ArrayList<>();
        Optional<Metrics> bayes = Optional.empty();
        for (ModelType type : STREAMFM) {
            err.println("[bench peer] training " + type.label());
            StreamfmRun run = streamfm(in, ModelOptions.defaults(type, input.shape()).build(), holdout);
            rows.add(run.row());
            bayes = run.bayes();
        }
        int factors = ModelOptions.defaults(ModelType.FM, input.shape()).build().embeddingDim();
        for (TribuoPeer peer : TribuoPeer.values()) {
            err.println("[bench peer] training " + peer.label());
            PeerRun run = PeerRun.train(peer, in.spec, factors, TRIBUO_SEED, in.training.open(), holdout.open());
            rows.add(new Row(peer.label(), run.holdout(), run.examplesPerSecond()));
        }
        print(out, in.description, rows, bayes);
        out.flush();
        return 0;
    }

    /** A StreamFM model's row, and the holdout's Bayes-optimal metrics when the stream is synthetic. */
    private record StreamfmRun(Row row, Optional<Metrics> bayes) {
    }

    private static StreamfmRun streamfm(EvalInput in, ModelConfig config, EvalInput.Pass holdout) throws IOException {
        try (Model m = Models.create(config, in.spec.layout())) {
            PrequentialEvaluator evaluator = new PrequentialEvaluator(m, in.spec, BATCH);
            PassResult training = evaluator.train(in.training.open(), n -> { });
            PassResult scored = evaluator.score(holdout.open(), n -> { });
            Row row = new Row(config.type().label(), scored.scores().all(), training.examples() / training.seconds());
            return new StreamfmRun(row, scored.scores().reference(0, scored.examples()));
        }
    }

    private void print(PrintWriter out, String source, List<Row> rows, Optional<Metrics> bayes)
            throws JsonProcessingException {
        out.printf(Locale.ROOT, "bench peer on %s: every model trained once over the stream, holdout scored frozen%n",
                source);
        TextTable table = new TextTable("model", "holdout AUC", "logloss", "train ex/s");
        for (Row r : rows) {
            table.row(r.model(), fixed(r.holdout().auc()), fixed(r.holdout().logloss()),
                    String.format(Locale.ROOT, "%.0f", r.examplesPerSecond()));
        }
        bayes.ifPresent(b -> table.row("bayes-optimal", fixed(b.auc()), fixed(b.logloss()), "-"));
        out.print(table.render());
        if (json) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("suite", "peer");
            result.put("source", source);
            result.put("holdout_examples", rows.get(0).holdout().examples());
            result.put("rows", rows.stream().map(PeerBenchCommand::jsonRow).toList());
            bayes.ifPresent(b -> result.put("bayes", Map.of("auc", b.auc(), "logloss", b.logloss())));
            out.println(new ObjectMapper().writeValueAsString(result));
        }
    }

    private static Map<String, Object> jsonRow(Row r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", r.model());
        m.put("auc", r.holdout().auc());
        m.put("logloss", r.holdout().logloss());
        m.put("examples_per_s", Math.round(r.examplesPerSecond()));
        return m;
    }

    private static String fixed(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
