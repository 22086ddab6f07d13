package dev.streamfm.cli;

import dev.streamfm.features.BatchBuilder;
import dev.streamfm.features.FeatureStats;
import dev.streamfm.model.Model;
import dev.streamfm.model.ModelDirectory;
import dev.streamfm.model.ModelUse;
import dev.streamfm.model.SavedModel;
import dev.streamfm.replay.LogReader;
import dev.streamfm.replay.LogRecord;
import dev.streamfm.rejection.RecordRejectedException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code streamfm score}: a saved model scores a log file offline, one prediction per row. */
@Command(name = "score", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Score a log file with a saved model (eval --save-model, export): one CSV line "
                + "event_id,label,score per row, the event id being <file>:<line> as replay sends it. The rows are "
                + "read with the saved model's feature spec; the model does not learn."},
        footerHeading = "%nExamples:%n",
        footer = {"  streamfm score --model model-a --file test.libfm --format libfm --out scores.csv",
                "  streamfm export --bootstrap-servers localhost:9092 --out live-model && \\",
                "      streamfm score --model live-model --file day_1.gz --format criteo"})
final class ScoreCommand implements Callable<Integer> {

    @Spec
    CommandSpec command;

    @Option(names = "--model", paramLabel = "DIR", required = true, description = "saved model directory")
    Path modelDir;

    @Option(names = "--file", paramLabel = "FILE", required = true, description = "log file (.gz read transparently)")
    Path file;

    @Mixin
    LogFileOptions log;

    @Option(names = "--out", paramLabel = "FILE", description = "where the predictions go (default: stdout)")
    Path out;

    @Option(names = "--batch", defaultValue = "1024", description = "rows per inference call (default: ${DEFAULT-VALUE})")
    int batch;

    @Override
    public Integer call() throws IOException {
        InputOptions.require(log.specFile == null, "score reads rows with the saved model's spec ("
                + modelDir.resolve(ModelDirectory.SPEC_FILE) + "); drop --spec");
        InputOptions.require(batch >= 1, "--batch must be >= 1, got " + batch);
        PrintWriter err = command.commandLine().getErr();
        SavedModel saved = ModelDirectory.read(modelDir);
        ProblemLog bad = new ProblemLog("score", "bad lines", err);
        ProblemLog rejected = new ProblemLog("score", "rejected rows", err);
        long scored = 0;
        try (Model model = saved.load(ModelUse.SCORING);
             LogReader reader = LogReader.open(file, log.format(), log.readerOptions(),
                     p -> bad.report(file + " line " + p.line() + ": " + p.message()));
             PrintWriter w = out == null ? command.commandLine().getOut()
                     : new PrintWriter(Files.newBufferedWriter(out, StandardCharsets.UTF_8))) {
            BatchBuilder builder = new BatchBuilder(saved.spec(), new FeatureStats(), batch);
            List<LogRecord> rows = new ArrayList<>(batch);
            w.println("event_id,label,score");
            while (reader.hasNext()) {
                LogRecord r = reader.next();
                try {
                    builder.add(r.event());
                } catch (RecordRejectedException e) {
                    rejected.report("event " + r.event().getEventId() + ": " + e.getMessage());
                    continue;
                }
                rows.add(r);
                if (rows.size() == batch) {
                    scored += write(model, builder, rows, w);
                }
            }
            scored += write(model, builder, rows, w);
        }
        err.printf(Locale.ROOT, "scored %d rows of %s with %s (step %d) to %s; %d bad lines, %d rows rejected by the "
                        + "spec%n", scored, file, modelDir, saved.state().step(), out == null ? "stdout" : out,
                bad.count(), rejected.count());
        err.flush();
        return 0;
    }

    /** Scores the rows in the builder; a float's shortest decimal form reads back to the same float. */
    private static int write(Model model, BatchBuilder builder, List<LogRecord> rows, PrintWriter w) {
        if (rows.isEmpty()) {
            return 0;
        }
        float[] p = model.predict(builder.build());
        for (int i = 0; i < rows.size(); i++) {
            w.println(rows.get(i).event().getEventId() + "," + rows.get(i).label() + "," + p[i]);
        }
        int n = rows.size();
        rows.clear();
        builder.clear();
        return n;
    }
}
