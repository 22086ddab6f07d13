package dev.streamfm.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamfm.evaluation.Auc;
import dev.streamfm.model.ModelDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** eval --save-model, then score --model: the saved model scores a file exactly as eval's model did. */
class SavedModelCommandsTest {

    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    /** A libfm log whose clicks depend on field 0 and on the pair of fields 1 and 2. */
    private Path log(String name, int rows, long seed) throws IOException {
        Random r = new Random(seed);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            int a = r.nextInt(20);
            int b = 20 + r.nextInt(10);
            int c = 30 + r.nextInt(10);
            double p = 1 / (1 + Math.exp(-((a % 3) - 1 + ((b + c) % 2 == 0 ? 1 : -1))));
            lines.add((r.nextDouble() < p ? 1 : 0) + " " + a + ":1 " + b + ":1 " + c + ":1");
        }
        lines.add(2000, "not a libfm line");
        return Files.write(dir.resolve(name), lines);
    }

    @Test
    void aSavedModelScoresAHoldoutExactlyAsTheEvaluatedModelDid() throws IOException {
        Path train = log("train.libfm", 3000, 1);
        Path test = log("test.libfm", 2500, 2);
        Path saved = dir.resolve("model-a");
        Run eval = run("eval", "--no-progress", "--file", train.toString(), "--format", "libfm", "--holdout",
                test.toString(), "--model", "fm", "--embedding-dim", "4", "--save-model", saved.toString(), "--json");
        assertEquals(0, eval.exit(), eval.err());
        assertTrue(eval.err().contains("saved the model (step 12) to " + saved), eval.err());
        List<String> evalLines = eval.out().lines().toList();
        double holdoutAuc = new ObjectMapper().readTree(evalLines.get(evalLines.size() - 1)).get("holdout_auc")
                .asDouble();

        Path scores = dir.resolve("scores.csv");
        // eval scores its holdout in batches of 256: the same batches give the same floats.
        Run score = run("score", "--model", saved.toString(), "--file", test.toString(), "--format", "libfm",
                "--batch", "256", "--out", scores.toString());
        assertEquals(0, score.exit(), score.err());
        assertTrue(score.err().contains("line 2001"), "the bad line is reported with its number: " + score.err());
        assertTrue(score.err().contains("scored 2500 rows of " + test + " with " + saved + " (step 12) to " + scores
                + "; 1 bad lines, 0 rows rejected by the spec"), score.err());

        List<String> lines = Files.readAllLines(scores);
        assertEquals("event_id,label,score", lines.get(0));
        assertEquals(2501, lines.size(), "one prediction per good row");
        assertTrue(lines.get(1).startsWith("test.libfm:1,"), lines.get(1));
        float[] p = new float[2500];
        byte[] y = new byte[2500];
        for (int i = 0; i < 2500; i++) {
            String[] f = lines.get(i + 1).split(",");
            y[i] = Byte.parseByte(f[1]);
            p[i] = Float.parseFloat(f[2]);
        }
        assertEquals(holdoutAuc, Auc.of(p, y), 0.0, "score's predictions are eval's, bit for bit");
    }

    @Test
    void scoreRefusesASpecOfItsOwnAndADirectoryWithoutAModel() {
        Run spec = run("score", "--model", dir.toString(), "--file", "x", "--format", "libfm", "--spec", "s.yaml");
        assertEquals(2, spec.exit());
        assertTrue(spec.err().contains("score reads rows with the saved model's spec (" + dir.resolve(
                ModelDirectory.SPEC_FILE) + "); drop --spec"), spec.err());
        Run none = run("score", "--model", dir.toString(), "--file", "x", "--format", "libfm");
        assertEquals(2, none.exit());
        assertEquals("streamfm score: " + dir + " holds no saved model (no model.json); write one with "
                + "`eval --save-model DIR` or `export --out DIR`", none.err().strip());
    }
}
