package dev.streamfm.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every Duration flag of every command goes through the one converter Main registers. */
class DurationFlagsTest {

    private static <T> T parsed(String command, String... args) {
        CommandLine cl = Main.commandLine();
        String[] full = new String[args.length + 1];
        full[0] = command;
        System.arraycopy(args, 0, full, 1, args.length);
        cl.parseArgs(full);
        return cl.getSubcommands().get(command).getCommand();
    }

    @Test
    void shortFormsAndIsoInDemoAndGenerate() {
        DemoCommand demo = parsed("demo", "--duration", "50s", "--status-every", "PT2S");
        assertEquals(Duration.ofSeconds(50), demo.duration);
        assertEquals(Duration.ofSeconds(2), demo.statusEvery);
        GenerateCommand generate = parsed("generate", "--label-delay", "500ms");
        assertEquals(Duration.ofMillis(500), generate.labelDelay);
    }

    @Test
    void defaultsParse() {
        DemoCommand demo = parsed("demo");
        assertEquals(Duration.ZERO, demo.duration);
        assertEquals(Duration.ofSeconds(5), demo.statusEvery);
        GenerateCommand generate = parsed("generate");
        assertEquals(Duration.ofSeconds(2), generate.labelDelay);
    }

    @Test
    void aBadDurationIsOneLineNamingTheOption() {
        StringWriter err = new StringWriter();
        int exit = Main.commandLine().setErr(new PrintWriter(err)).execute("demo", "--duration", "50x");
        assertEquals(2, exit);
        String message = err.toString().strip();
        assertEquals(1, message.lines().count(), message);
        assertTrue(message.startsWith("streamfm demo: Invalid value for option '--duration': '50x' is not a duration "
                + "such as 500ms, 50s, 2m, 1h"), message);
    }
}
