package dev.streamfm.cli;

import dev.streamfm.evaluation.LabeledEvent;
import dev.streamfm.features.FeatureSpec;
import dev.streamfm.features.FieldBuckets;
import dev.streamfm.replay.LogFormat;
import dev.streamfm.replay.LogReader;
import dev.streamfm.replay.ReadProblem;
import dev.streamfm.replay.ReaderOptions;
import dev.streamfm.replay.SpecInference;
import dev.streamfm.synth.SynthConfig;
import dev.streamfm.synth.SynthShape;
import dev.streamfm.synth.SyntheticGenerator;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What the offline commands (eval, analyze) read: a synthetic stream or a log file, with its
 * feature spec, an optional holdout set, and a count of unreadable lines. Log files are opened lazily, once per
 * pass, and closed when the pass has read them to the end.
 */
final class EvalInput {

    /** One pass's stream of examples. */
    interface Pass {
        Iterator<? extends LabeledEvent> open() throws IOException;
    }

    final String description;
    final FeatureSpec spec;
    /** Events in the training stream, or -1 when unknown. */
    final long size;
    final Pass training;
    final Optional<Pass> holdout;
    /** Ids and buckets of the categorical fields of an inferred spec; empty when the spec was given. */
    final List<FieldBuckets> buckets;
    private final ProblemLog problems;

    private EvalInput(String description, FeatureSpec spec, long size, Pass training, Optional<Pass> holdout,
                      List<FieldBuckets> buckets, ProblemLog problems) {
        this.description = description;
        this.spec = spec;
        this.size = size;
        this.training = training;
        this.holdout = holdout;
        this.buckets = List.copyOf(buckets);
        this.problems = problems;
    }

    long badLines() {
        return problems == null ? 0 : problems.count();
    }

    /** Events [0, count) of the stream; the holdout, if any, is the next holdoutCount events of the same stream. */
    static EvalInput synthetic(SynthShape shape, SynthConfig config, long count, long holdoutCount) {
        SyntheticGenerator g = new SyntheticGenerator(shape, config);
        Optional<Pass> holdout = holdoutCount > 0
                ? Optional.of(() -> g.examples(count, count + holdoutCount)) : Optional.empty();
        String drift = config.drift().kind().name().toLowerCase(Locale.ROOT);
        return new EvalInput(shape.name() + " seed " + config.seed() + " drift " + drift, FeatureSpec.forShape(shape),
                count, () -> g.examples(0, count), holdout, List.of(), null);
    }

    /**
     * A log file, its spec given or inferred by a first scan, and an optional holdout file of the
     * same format; bad lines are shown on {@code err} under the name of {@code command}.
     */
    static EvalInput file(String command, Path file, LogFormat format, ReaderOptions options, Optional<Path> specFile, int maxBuckets,
                          Optional<Path> holdoutFile, PrintWriter err) throws IOException {
        FeatureSpec spec;
        long size = -1;
        List<FieldBuckets> buckets = List.of();
        if (specFile.isPresent()) {
            spec = FeatureSpec.load(specFile.get());
        } else {
            SpecInference.Result inferred = SpecInference.infer(file, format, options, maxBuckets);
            spec = inferred.spec();
            size = inferred.records();
            buckets = inferred.buckets();
        }
        ProblemLog problems = new ProblemLog(command, "bad lines", err);
        Optional<Pass> holdout = holdoutFile.map(h -> () -> reader(h, format, options, at(problems, h)));
        return new EvalInput(file.toString(), spec, size, () -> reader(file, format, options, at(problems, file)),
                holdout, buckets, problems);
    }

    private static Consumer<ReadProblem> at(ProblemLog problems, Path file) {
        return p -> problems.report(file + " line " + p.line() + ": " + p.message());
    }

    private static Iterator<LabeledEvent> reader(Path file, LogFormat format, ReaderOptions options,
                                                 Consumer<ReadProblem> problems) throws IOException {
        LogReader reader = LogReader.open(file, format, options, problems);
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                boolean more = reader.hasNext();
                if (!more) {
                    try {
                        reader.close();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                return more;
            }

            @Override
            public LabeledEvent next() {
                return reader.next();
            }
        };
    }
}
