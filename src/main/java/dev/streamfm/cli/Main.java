package dev.streamfm.cli;

import dev.streamfm.config.StreamfmConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.ArrayList;
import java.util.List;

@Command(name = "streamfm", mixinStandardHelpOptions = true, version = "streamfm 0.1.0",
        description = "Online-learning click-through-rate service on Kafka.",
        subcommands = {CommandLine.HelpCommand.class, DemoCommand.class, BrokerCommand.class, ServeCommand.class,
                GenerateCommand.class,
                ReplayCommand.class, EvalCommand.class, ScoreCommand.class, ExportCommand.class, AnalyzeCommand.class,
                BenchCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with one-line errors for user mistakes (a stack trace only at STREAMFM_LOG_LEVEL=DEBUG). */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
        // Registered here, once, it reaches every subcommand's Duration options.
        cl.registerConverter(java.time.Duration.class, new DurationConverter());
        cl.setDefaultValueProvider(new ModelOptions.Defaults());
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("streamfm " + cmd.getCommandName() + ": " + message(e));
            if ("DEBUG".equalsIgnoreCase(System.getenv("STREAMFM_LOG_LEVEL"))) {
                e.printStackTrace(cmd.getErr());
            }
            return 2;
        });
        cl.setParameterExceptionHandler((e, args) -> {
            CommandLine cmd = e.getCommandLine();
            cmd.getErr().println("streamfm " + cmd.getCommandName() + ": " + e.getMessage()
                    + " (see: streamfm " + (cmd == cl ? "" : cmd.getCommandName() + " ") + "--help)");
            return 2;
        });
        CommandLine serve = cl.getSubcommands().get("serve");
        List<String> footer = new ArrayList<>(List.of(serve.getCommandSpec().usageMessage().footer()));
        footer.add("");
        footer.add("Settings by area: keys of the --config file, also --set KEY=VALUE or env STREAMFM_<KEY>.");
        footer.add("Any other key goes to the Kafka clients (env STREAMFM_KAFKA_<KEY>).");
        // Lines of picocli's width, so that picocli has nothing to wrap (it would wrap to column 0).
        StreamfmConfig.helpLines(serve.getUsageHelpWidth()).forEach(l -> footer.add(l.replace("%", "%%")));
        serve.getCommandSpec().usageMessage().footer(footer.toArray(String[]::new));
        return cl;
    }

    private static String message(Exception e) {
        Throwable t = e;
        while (t.getCause() != null && (t.getMessage() == null || t instanceof java.util.concurrent.ExecutionException)) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
