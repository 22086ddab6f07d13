package dev.streamfm.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamfm.evaluation.Metrics;
import dev.streamfm.features.FieldBuckets;
import dev.streamfm.synth.BayesReference;
import dev.streamfm.synth.SynthConfig;
import dev.streamfm.synth.SynthShape;
import dev.streamfm.synth.SyntheticGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EvalCommandTest {

    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {
        JsonNode json() throws IOException {
            List<String> lines = out.lines().toList();
            return new ObjectMapper().readTree(lines.get(lines.size() - 1));
        }
    }

    private static Run eval(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        String[] full = new String[args.length + 2];
        full[0] = "eval";
        full[1] = "--no-progress";
        System.arraycopy(args, 0, full, 2, args.length);
        int exit = cli.execute(full);
        return new Run(exit, out.toString(), err.toString());
    }

    /** Each compared model runs as its own eval would, on the same stream; parameters exclude optimizer slots. */
    @Test
    void compareTrainsEachVariantOnTheSameInputAndCountsParameters() throws IOException {
        String[] input = {"--synth", "frappe-like", "--count", "2000", "--seed", "4", "--holdout-count", "500",
                "--json"};
        Run compared = eval(concat(input, "--compare", "lr,fm"));
        assertEquals(0, compared.exit(), compared.err());
        assertTrue(compared.out().contains("holdout AUC"), compared.out());
        JsonNode models = compared.json().get("models");
        assertEquals(2, models.size());
        JsonNode fm = eval(concat(input, "--model", "fm")).json();
        assertEquals(fm.get("auc").asDouble(), models.get(1).get("auc").asDouble(), 0.0);
        assertEquals(fm.get("holdout_auc").asDouble(), models.get(1).get("holdout_auc").asDouble(), 0.0);
        long rows = (long) SynthShape.FRAPPE_LIKE.fields() * SynthShape.FRAPPE_LIKE.bucketsPerField();
        assertEquals(rows + 1, models.get(0).get("parameters").asLong(), "LR: a weight per row and the bias");
        assertEquals(rows * (SynthShape.FRAPPE_LIKE.embeddingDim() + 1) + 1, models.get(1).get("parameters").asLong(),
                "FM: an embedding and a weight per row, and the bias");
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void synthesisedStreamEndToEnd() throws IOException {
        Run r = eval("--synth", "frappe-like", "--count", "3000", "--seed", "4", "--window", "1000",
                "--holdout-count", "500", "--model", "fm", "--json");
        assertEquals(0, r.exit(), r.err());
        JsonNode j = r.json();
        assertEquals(3000, j.get("examples").asInt());
        assertEquals("fm", j.get("model").asText());
        assertEquals(1000, j.get("window").asInt());
        assertEquals(500, j.get("holdout_examples").asInt());
        assertEquals(0, j.get("rejected").asInt());
        assertEquals(0, j.get("bad_lines").asInt());
        for (String key : List.of("auc", "logloss", "window_auc", "holdout_auc", "holdout_logloss", "seconds",
                "examples_per_second")) {
            assertTrue(j.has(key), key);
        }
        SyntheticGenerator g = new SyntheticGenerator(SynthShape.FRAPPE_LIKE, SynthConfig.defaults(4));
        Metrics bayes = BayesReference.of(g, 0, 3000);
        assertEquals(bayes.auc(), j.get("bayes_auc").asDouble(), 1e-12);
        assertEquals(bayes.logloss(), j.get("bayes_logloss").asDouble(), 1e-12);
        assertEquals(BayesReference.of(g, 2000, 3000).auc(), j.get("bayes_window_auc").asDouble(), 1e-12);
        assertEquals(BayesReference.of(g, 3000, 3500).auc(), j.get("bayes_holdout_auc").asDouble(), 1e-12,
                "the holdout is the next 500 events of the stream");
        double holdout = j.get("holdout_auc").asDouble();
        assertTrue(holdout > 0.6, "3000 events teach something: " + holdout);
        assertTrue(j.get("auc").asDouble() < bayes.auc(), "no model knows more than the teacher");
        assertTrue(r.out().contains("Bayes-optimal"), "the human table comes first");
    }

    @Test
    void logFileWithBadLinesAndHoldout() throws IOException {
        Path train = dir.resolve("train.libfm");
        Path test = dir.resolve("test.libfm");
        Files.writeString(train, libfm(new Random(1), 400) + "1 3:1 oops\n" + libfm(new Random(2), 100) + "x 1:1\n");
        Files.writeString(test, libfm(new Random(3), 150));
        Run r = eval("--file", train.toString(), "--format", "libfm", "--holdout", test.toString(),
                "--model", "lr", "--window", "100", "--json");
        assertEquals(0, r.exit(), r.err());
        JsonNode j = r.json();
        assertEquals(500, j.get("examples").asInt());
        assertEquals(150, j.get("holdout_examples").asInt());
        assertEquals(2, j.get("bad_lines").asInt());
        assertFalse(j.has("bayes_auc") || j.has("bayes_holdout_auc"), "a log file has no Bayes reference");
        assertTrue(j.get("auc").asDouble() > 0.6, "the planted signal is learnable: " + j.get("auc"));
        JsonNode f0 = j.get("fields").get(0);
        assertEquals("f0", f0.get("field").asText());
        assertEquals(4, f0.get("ids").asInt());
        assertEquals(new FieldBuckets("f0", 4, false, f0.get("buckets").asInt()).expectedCollisionShare(),
                f0.get("expected_collision_share").asDouble(), 1e-12);
        assertTrue(f0.get("expected_collision_share").asDouble() <= FieldBuckets.TARGET_COLLISION_SHARE);
        assertEquals(3, j.get("fields").size(), "one entry per inferred categorical field");
        assertTrue(r.out().contains("expected collisions"), "the human output shows the collision table too");
        assertTrue(r.err().contains("train.libfm line 401: feature 2 'oops' is not idx:val"), r.err());
        assertTrue(r.err().contains("line 502: label 'x'"), r.err());
    }

    /** Three one-hot fields; field 0's value decides the click rate, the others are noise. */
    private static String libfm(Random r, int lines) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            int a = r.nextInt(4);
            boolean click = r.nextDouble() < (a < 2 ? 0.8 : 0.1);
            s.append(click ? "1" : "-1").append(' ').append(a).append(":1 ").append(10 + r.nextInt(5)).append(":1 ")
                    .append(20 + r.nextInt(5)).append(":1\n");
        }
        return s.toString();
    }

    @Test
    void userErrorsAreOneLineWithoutStackTrace() {
        assertUserError(eval("--file", dir.resolve("missing.libfm").toString(), "--format", "libfm"),
                "does not exist");
        assertUserError(eval("--file", "x.csv", "--format", "parquet"), "unknown format 'parquet'");
        assertUserError(eval("--file", "x.csv"), "--file needs --format");
        assertUserError(eval("--synth", "frappe-like", "--count", "10", "--model", "xgboost"),
                "unknown model 'xgboost'");
        assertUserError(eval("--synth", "movielens", "--count", "10"), "unknown shape 'movielens'");
        assertUserError(eval("--synth", "frappe-like", "--drift", "sideways"), "unknown drift 'sideways'");
        assertUserError(eval("--synth", "frappe-like", "--count", "10", "--lr", "-1"), "embedding-lr must be > 0");
        assertUserError(eval("--synth", "frappe-like", "--count", "10", "--optimizer", "sgd"), "unknown optimizer 'sgd'");
        assertUserError(eval("--synth", "frappe-like", "--count", "10", "--l1", "0.1"), "l1 needs the ftrl optimizer");
        assertUserError(eval("--synth", "frappe-like", "--count", "10", "--squared-gradients", "sum"),
                "unknown squared gradients 'sum'");
        assertUserError(eval("--synth", "frappe-like", "--holdout", "h.txt"), "--holdout go with --file");
    }

    @Test
    void badSpecFileIsAUserError() throws IOException {
        Path data = dir.resolve("d.libfm");
        Files.writeString(data, "1 1:1\n");
        Path spec = dir.resolve("spec.yaml");
        Files.writeString(spec, "fields:\n  - {name: f0, kind: categorical}\n");
        assertUserError(eval("--file", data.toString(), "--format", "libfm", "--spec", spec.toString()), "buckets");
    }

    private static void assertUserError(Run r, String expected) {
        assertEquals(2, r.exit(), r.err());
        List<String> lines = r.err().lines().toList();
        assertEquals(1, lines.size(), r.err());
        assertTrue(lines.get(0).startsWith("streamfm eval: ") && lines.get(0).contains(expected), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }
}
