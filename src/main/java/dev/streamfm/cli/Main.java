package dev.streamfm.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "streamfm", mixinStandardHelpOptions = true, version = "streamfm 0.1.0",
        description = "Online-learning click-through-rate service on Kafka.",
        subcommands = {CommandLine.HelpCommand.class, EvalCommand.class})
public final class Main {
    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }
}
