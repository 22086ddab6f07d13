package dev.streamfm.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Wrong bench arguments end in a one-line error and exit code 2, before any model is built. */
class BenchCommandTest {

    @Test
    void benchWithoutSuiteNamesTheSuites() {
        Run r = run("bench");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("choose a suite: model"), r.err());
    }

    @Test
    void invalidModelBenchOptionsAreRejected() {
        Run seconds = run("bench", "model", "--seconds", "0");
        assertEquals(2, seconds.exit());
        assertTrue(seconds.err().contains("--seconds must be in (0, 600]"), seconds.err());
        Run shape = run("bench", "model", "--shapes", "huge-like");
        assertEquals(2, shape.exit());
        assertTrue(shape.err().contains("unknown shape 'huge-like'"), shape.err());
        Run batch = run("bench", "model", "--batches", "0");
        assertEquals(2, batch.exit());
        assertTrue(batch.err().contains("--batches must be in"), batch.err());
    }

    private record Run(int exit, String err) {
    }

    private static Run run(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, err.toString());
    }
}
