package dev.streamfm.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code bench peer} on a small synthetic stream prints its table and one JSON object on the last line. */
class PeerBenchCommandTest {

    private static final List<String> MODELS = List.of("lr", "fm", "deepfm", "tribuo-lr", "tribuo-fm");

    @Test
    void printsEveryModelsHoldoutFiguresAsTableAndJson() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute("bench", "peer", "--synth", "frappe-like", "--count", "12000", "--holdout-count", "3000",
                "--json");
        assertEquals(0, exit, err.toString());
        String[] lines = out.toString().strip().split("\n");

        List<String> tableModels = new ArrayList<>();
        for (String line : lines) {
            String first = line.strip().split("\\s+")[0];
            if (MODELS.contains(first) || first.equals("bayes-optimal")) {
                tableModels.add(first);
            }
        }
        List<String> expected = new ArrayList<>(MODELS);
        expected.add("bayes-optimal");
        assertEquals(expected, tableModels, out.toString());

        JsonNode json = new ObjectMapper().readTree(lines[lines.length - 1]);
        assertEquals("peer", json.get("suite").asText());
        assertEquals(3000, json.get("holdout_examples").asInt());
        assertEquals(MODELS.size(), json.get("rows").size());
        for (int i = 0; i < MODELS.size(); i++) {
            JsonNode row = json.get("rows").get(i);
            assertEquals(MODELS.get(i), row.get("model").asText());
            double auc = row.get("auc").asDouble();
            assertTrue(auc > 0.55 && auc <= json.get("bayes").get("auc").asDouble() + 0.02, row.toString());
            assertTrue(row.get("examples_per_s").asLong() > 0, row.toString());
        }
    }

    @Test
    void aFileNeedsAHoldoutFile() {
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute("bench", "peer", "--file", "x.libfm", "--format", "libfm");
        assertEquals(2, exit);
        assertTrue(err.toString().contains("with --file give --holdout FILE"), err.toString());
    }
}
