package dev.streamfm.cli;

import dev.streamfm.replay.LogFormat;
import dev.streamfm.replay.ReaderOptions;
import dev.streamfm.synth.Drift;
import dev.streamfm.synth.SynthConfig;
import dev.streamfm.synth.SynthShape;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/** The stream an offline command reads (eval, analyze): a synthetic stream or a log file with its spec. */
final class InputOptions {

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--synth", paramLabel = "SHAPE", description = "synthetic stream: frappe-like, criteo-like or long-tail")
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

    @Option(names = "--base-rate", defaultValue = "0.25",
            description = "synthetic mean click rate (default: ${DEFAULT-VALUE})")
    double baseRate;

    @Option(names = "--format", paramLabel = "libfm|libsvm|criteo|csv", description = "format of the log files")
    String format;

    @Option(names = "--spec", paramLabel = "FILE", description = "feature spec YAML (default: inferred from --file)")
    Path specFile;

    @Option(names = "--buckets", defaultValue = "100000",
            description = "most hash buckets per categorical field of an inferred spec (default: ${DEFAULT-VALUE})")
    int buckets;

    @Option(names = "--label-column", defaultValue = "label",
            description = "CSV label column (default: ${DEFAULT-VALUE})")
    String labelColumn;

    @Option(names = "--numeric", split = ",", paramLabel = "COLUMN", description = "CSV columns read as numbers")
    Set<String> numericColumns = Set.of();

    @Option(names = "--delimiter", defaultValue = ",", description = "CSV delimiter (default: ${DEFAULT-VALUE})")
    char delimiter;

    /** The synthetic shape, when the stream is synthetic (its model sizes are the defaults). */
    Optional<SynthShape> shape() {
        return Optional.ofNullable(source.shape).map(SynthShape::parse);
    }

    boolean synthetic() {
        return source.shape != null;
    }

    /**
     * The stream, with an optional holdout: the next {@code holdoutCount} synthetic events, or a
     * file of the same format. Bad lines are reported on {@code err} under {@code command}'s name.
     */
    EvalInput open(String command, long holdoutCount, Optional<Path> holdoutFile, PrintWriter err) throws IOException {
        require(count >= 1, "--count must be >= 1, got " + count);
        if (synthetic()) {
            require(format == null && specFile == null, "--format and --spec go with --file");
            SynthConfig synth = SynthConfig.defaults(shape().orElseThrow(), seed).withBaseRate(baseRate).withDrift(Drift.parse(drift, count));
            return EvalInput.synthetic(shape().orElseThrow(), synth, count, holdoutCount);
        }
        require(format != null, "--file needs --format libfm|libsvm|criteo|csv");
        ReaderOptions options = new ReaderOptions(labelColumn, numericColumns, delimiter);
        return EvalInput.file(command, source.file, LogFormat.parse(format), options, Optional.ofNullable(specFile),
                buckets, holdoutFile, err);
    }

    static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
