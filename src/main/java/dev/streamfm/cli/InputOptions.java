package dev.streamfm.cli;

import dev.streamfm.synth.Drift;
import dev.streamfm.synth.SynthConfig;
import dev.streamfm.synth.SynthShape;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;

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

    @Mixin
    LogFileOptions log;

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
            require(!log.given(), "--format, --spec and --time-column go with --file");
            SynthConfig synth = SynthConfig.defaults(shape().orElseThrow(), seed).withBaseRate(baseRate)
                    .withDrift(Drift.parse(drift, count));
            return EvalInput.synthetic(shape().orElseThrow(), synth, count, holdoutCount);
        }
        return log.open(command, source.file, holdoutFile, err);
    }

    static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
