package dev.streamfm.cli;

import dev.streamfm.config.Settings;
import dev.streamfm.config.StreamfmConfig;
import dev.streamfm.features.InputValidator;
import dev.streamfm.replay.KafkaReplaySink;
import dev.streamfm.replay.ReplaySummary;
import dev.streamfm.replay.Replayer;
import dev.streamfm.stream.StreamsProperties;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code streamfm replay}: a log file streamed through the service as live traffic. */
@Command(name = "replay", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Send a log file's rows to the events topic and their labels to the labels topic, as live "
                + "traffic: each row is an event (key and id <file>:<line>, time from --time-column or else now, "
                + "paced at --rate), and its 0/1 label follows --label-delay later, so the running service "
                + "scores every row and trains on it. The file is read as eval reads it (same formats, spec inference and bad-line reports)."},
        footerHeading = "%nExamples:%n",
        footer = {"  streamfm replay --file train.libfm --format libfm \\",
                "      --bootstrap-servers localhost:9092",
                "  streamfm replay --file day_0.gz --format criteo --rate 2000 \\",
                "      --spec config/features-criteo-like.yaml --bootstrap-servers localhost:9092",
                "",
                "Rows that do not fit the spec (--spec, or the one inferred from the file) are reported and not "
                        + "sent; serve should run with the same spec (streamfm.features.spec)."})
final class ReplayCommand implements Callable<Integer> {

    @Spec
    CommandSpec command;

    @Mixin
    ServiceOptions options;

    @Option(names = "--file", paramLabel = "FILE", required = true, description = "log file (.gz read transparently)")
    Path file;

    @Mixin
    LogFileOptions log;

    @Option(names = "--rate", defaultValue = "0",
            description = "events per second; 0 = as fast as the broker takes them (default)")
    double rate;

    @Option(names = "--label-delay", defaultValue = "1s",
            description = "time from an event to its label, below streamfm.labeling.window.ms "
                    + "(default: ${DEFAULT-VALUE})")
    Duration labelDelay;

    @Mixin
    ProgressOptions progress;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = command.commandLine().getOut();
        PrintWriter err = command.commandLine().getErr();
        StreamfmConfig cfg = options.load(Map.of());
        cfg.bootstrapServers();
        long window = cfg.getLong(Settings.ATTRIBUTION_MS);
        InputOptions.require(labelDelay.toMillis() < window, "--label-delay " + labelDelay.toMillis()
                + "ms must be below " + Settings.ATTRIBUTION_MS.key() + " (" + window + "ms), or the service never "
                + "joins a label with its event");
        EvalInput input = log.open("replay", file, Optional.empty(), err);
        ProblemLog rejected = new ProblemLog("replay", "rejected rows", err);
        // The summary goes out before the signal is released: on Ctrl-C the JVM halts right after.
        try (ShutdownSignal stop = ShutdownSignal.install()) {
            ReplaySummary summary;
            try (KafkaReplaySink sink = new KafkaReplaySink(StreamsProperties.clientProperties(cfg), cfg.topics());
                 ProgressOptions.Progress p = progress.start("replay", input.size, err)) {
                Replayer replayer = new Replayer(sink, new InputValidator(input.spec), rate, labelDelay,
                        log.timeColumn != null);
                // Ctrl-C ends the replay cleanly: what was sent is flushed and its labels follow.
                stop.onRequest(replayer::stop, "streamfm-replay-stop");
                summary = replayer.run(input.training.open(), rejected::report, p);
            }
            out.printf(Locale.ROOT, "replayed %s: %d events to %s, %d labels to %s; %d bad lines, %d rows rejected "
                            + "by the spec; %.1f s (%.0f events/s)%n", file, summary.events(), cfg.topics().events(),
                    summary.labels(), cfg.topics().labels(), input.badLines(), summary.rejected(), summary.seconds(),
                    summary.eventsPerSecond());
            out.flush();
        }
        return 0;
    }
}
