package dev.streamfm.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Wrong bench arguments end in a one-line error and exit code 2, before any model or broker is started. */
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
        Run off = run("bench", "model", "--admission-min-count", "1", "--expiry-examples", "0");
        assertEquals(2, off.exit());
        assertTrue(off.err().contains("the admitted model needs --admission-min-count > 1"), off.err());
        Run models = run("bench", "model", "--models", "0");
        assertEquals(2, models.exit());
        assertTrue(models.err().contains("--models must be in 1..99"), models.err());
        Run zero = run("bench", "model", "--admission-min-count", "0");
        assertEquals(2, zero.exit());
        assertTrue(zero.err().contains("admission-min-count must be in 1.."), zero.err());
    }

    @Test
    void invalidPipelineBenchOptionsAreRejected() {
        Run broker = run("bench", "pipeline", "--bootstrap-servers", "kafka:9092");
        assertEquals(2, broker.exit());
        assertTrue(broker.err().contains("starts its own brokers"), broker.err());
        Run guarantee = run("bench", "pipeline", "--guarantees", "exactly_once");
        assertEquals(2, guarantee.exit());
        assertTrue(guarantee.err().contains("unknown processing guarantee exactly_once"), guarantee.err());
        Run events = run("bench", "pipeline", "--events", "0");
        assertEquals(2, events.exit());
        assertTrue(events.err().contains("events must be >= 1"), events.err());
        Run phase = run("bench", "pipeline", "--phases", "scorer,serve");
        assertEquals(2, phase.exit());
        assertTrue(phase.err().contains("--phases"), phase.err());
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
