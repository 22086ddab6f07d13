package dev.streamfm.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamfm.report.AnalysisReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AnalyzeCommandTest {

    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {
    }

    private static Run analyze(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        String[] full = new String[args.length + 1];
        full[0] = "analyze";
        System.arraycopy(args, 0, full, 1, args.length);
        return new Run(cli.execute(full), out.toString(), err.toString());
    }

    @Test
    void syntheticStreamWithProgressBarAndPerCategoryFigure() throws IOException {
        Path report = dir.resolve("report");
        Run r = analyze("--synth", "frappe-like", "--count", "3000", "--seed", "3", "--every", "2", "--by-field", "f1",
                "--out", report.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("analyze") && r.err().contains("3000/3000"), "progress bar: " + r.err());
        assertTrue(r.out().contains("deepfm on frappe-like seed 3"), r.out());
        assertTrue(r.out().contains("FM-vs-DNN conflict, all fields: conflicting share"), r.out());
        assertTrue(r.out().contains("report: " + report.resolve(AnalysisReport.HTML)), r.out());
        JsonNode s = new ObjectMapper().readTree(report.resolve(AnalysisReport.SUMMARY).toFile());
        assertEquals(3000, s.get("examples").asInt());
        assertEquals(12, s.get("steps").asInt(), "3000 events in batches of 256");
        assertEquals(6, s.get("analysed_steps").asInt());
        assertEquals("f1", s.get("categories").get("field").asText());
        assertTrue(s.get("bayes_auc").asDouble() > 0.5);
        assertEquals(Files.readAllLines(report.resolve(AnalysisReport.STEPS)).size(), 6);
    }

    @Test
    void userErrorsAreOneLineWithoutStackTrace() throws IOException {
        String out = dir.resolve("r").toString();
        String quiet = "--no-progress";
        assertUserError(analyze(quiet, "--synth", "frappe-like", "--count", "300", "--by-field", "user", "--out", out),
                "unknown field 'user'; the feature spec's fields are f0, f1");
        assertUserError(analyze(quiet, "--file", dir.resolve("missing.libfm").toString(), "--format", "libfm",
                "--out", out), "missing.libfm does not exist");
        Path empty = dir.resolve("empty.libfm");
        Files.writeString(empty, "");
        Path spec = dir.resolve("spec.yaml");
        Files.writeString(spec, "fields:\n  - {name: f0, kind: categorical, buckets: 10}\n");
        assertUserError(analyze(quiet, "--file", empty.toString(), "--format", "libfm", "--spec", spec.toString(),
                "--out", out), "the stream held no usable event");
        Path file = dir.resolve("a-file");
        Files.writeString(file, "x");
        assertUserError(analyze(quiet, "--synth", "frappe-like", "--out", file.toString()),
                "is a file; give a directory");
        assertUserError(analyze(quiet, "--synth", "frappe-like", "--every", "0", "--out", out), "--every must be >= 1");
        assertUserError(analyze(quiet, "--synth", "frappe-like", "--spec", spec.toString(), "--out", out),
                "--format, --spec and --time-column go with --file");
    }

    private static void assertUserError(Run r, String expected) {
        assertEquals(2, r.exit(), r.err());
        List<String> lines = r.err().lines().toList();
        assertEquals(1, lines.size(), r.err());
        assertTrue(lines.get(0).startsWith("streamfm analyze: ") && lines.get(0).contains(expected), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }
}
