package dev.streamfm.cli;

import dev.streamfm.replay.LogFormat;
import dev.streamfm.replay.ReaderOptions;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/** How a log file is read (eval, analyze, replay): its format, the CSV layout, and its feature spec. */
final class LogFileOptions {

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

    @Option(names = "--time-column", paramLabel = "COLUMN",
            description = "CSV column with each row's event time (epoch ms or ISO-8601), not a feature; "
                    + "replay sends these times instead of synthesising them")
    String timeColumn;

    /** True when an option that only a log file uses was given. */
    boolean given() {
        return format != null || specFile != null || timeColumn != null;
    }

    /**
     * The file, its spec given or inferred by a first scan, and an optional holdout file of the
     * same format; bad lines are reported on {@code err} under {@code command}'s name.
     */
    EvalInput open(String command, Path file, Optional<Path> holdoutFile, PrintWriter err) throws IOException {
        return EvalInput.file(command, file, format(), readerOptions(), Optional.ofNullable(specFile), buckets,
                holdoutFile, err);
    }

    LogFormat format() {
        InputOptions.require(format != null, "--file needs --format libfm|libsvm|criteo|csv");
        return LogFormat.parse(format);
    }

    ReaderOptions readerOptions() {
        return new ReaderOptions(labelColumn, numericColumns, delimiter, timeColumn);
    }
}
