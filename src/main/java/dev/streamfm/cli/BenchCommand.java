package dev.streamfm.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code bench}: the performance suites, one subcommand each. Every figure is printed with its
 * baseline from the same run. Add a suite by adding its command to {@code subcommands}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Performance suites; each figure comes with its baseline measured in the same run.",
        subcommands = {ModelBenchCommand.class, PipelineBenchCommand.class, PeerBenchCommand.class,
                SoakBenchCommand.class})
public final class BenchCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(),
                "choose a suite: " + String.join(", ", spec.subcommands().keySet()));
    }
}
