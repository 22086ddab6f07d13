package dev.streamfm.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamfm.cli.Main;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bench pipeline} end to end on tiny numbers: every phase runs, every preloaded event gets
 * exactly one committed prediction, the JSON on the last line carries a positive ratio for every
 * catch-up figure and consistent live figures. Behaviour only: no throughput is asserted, so a
 * live rate the machine cannot hold does not fail it.
 */
class PipelineBenchIT {

    private static final int EVENTS = 2000;
    private static final int RATE = 100;

    @Test
    void benchPipelineRunsEveryPhaseAndReportsRatios() throws Exception {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int exit;
        System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
        try {
            CommandLine cl = Main.commandLine();
            exit = cl.execute("bench", "pipeline", "--events", Integer.toString(EVENTS), "--warm-up",
                    Integer.toString(EVENTS / 2), "--repeats", "2", "--rates",
                    Integer.toString(RATE), "--duration", "PT10S", "--json");
        } finally {
            System.setOut(original);
        }
        String out = stdout.toString(StandardCharsets.UTF_8);
        System.out.print(out);
        assertEquals(0, exit, out);
        List<String> lines = out.lines().toList();
        JsonNode json = new ObjectMapper().readTree(lines.get(lines.size() - 1));
        assertTrue(out.contains("pass-through") && out.contains("bench model"), "the table names the ceilings");
        assertEquals(EVENTS / 2, json.get("warm_up").asLong(), "the warm-up is reported: " + json);
        assertTrue(out.contains("after an untimed warm-up"), "the table says the catch-up ran warm");

        JsonNode scorer = json.get("scorer");
        assertEquals(4, scorer.size(), "two scorer catch-ups per guarantee");
        JsonNode medians = json.get("scorer_medians");
        assertEquals(2, medians.size(), "one median per guarantee: " + medians);
        for (JsonNode m : medians) {
            assertEquals(2, m.get("runs").asInt(), m.toString());
            assertTrue(m.get("ratio_min").asDouble() <= m.get("ratio").asDouble()
                    && m.get("ratio").asDouble() <= m.get("ratio_max").asDouble(), m.toString());
        }
        assertTrue(out.contains("over 2 runs"), "the table states the median and its runs");
        for (JsonNode s : scorer) {
            assertEquals(EVENTS, s.at("/scorer/done").asLong(), s.get("guarantee") + ": a prediction per event");
            assertEquals(0, s.get("duplicates").asLong(), s.get("guarantee") + ": one prediction per event");
            assertTrue(s.at("/scorer/complete").asBoolean() && s.at("/ceiling/complete").asBoolean(), s.toString());
            assertEquals(EVENTS, s.at("/ceiling/done").asLong(), "the pass-through copies every event");
            assertPositive(s, "ratio");
        }

        JsonNode trainer = json.get("trainer");
        assertTrue(trainer.at("/trainer/complete").asBoolean(), trainer.toString());
        assertEquals(0, trainer.at("/trainer/done").asLong() % trainer.get("batch_size").asLong(),
                "whole batches only");
        assertPositive(trainer, "bench_model_per_second");
        assertEquals(trainer.at("/trainer/done").asLong(), trainer.at("/pass_through/done").asLong(),
                "the pass-through copies every example the trainer trains: " + trainer);
        assertPositive(trainer, "pass_through_ratio");
        assertPositive(trainer, "ratio");

        JsonNode live = json.get("live");
        assertEquals(2, live.size(), "one live run per guarantee");
        for (JsonNode l : live) {
            // Whether a rate is held is a throughput figure, so only the figures' consistency is asserted.
            assertEquals(RATE, l.get("rate").asInt());
            long sent = l.get("events_sent").asLong();
            assertTrue(sent > 0, l.toString());
            double delivered = l.get("delivered_ratio").asDouble();
            assertTrue(delivered >= 0 && delivered <= 1, l.toString());
            assertTrue(l.at("/latency/missing").asLong() <= sent, "missing predictions are of events sent: " + l);
            assertFalse(l.at("/lag/end_by_application").isEmpty(), "lag is read from the service's consumer groups");
            assertTrue(l.at("/lag/caught_up_seconds").isNumber() && l.at("/lag/caught_up_seconds").asDouble() > 0,
                    "at a modest rate the service catches up with its start, and the window starts then: " + l);
            assertTrue(l.at("/learning/orphaned_clicks").isNumber() && l.at("/learning/examples_trained").isNumber(),
                    l.toString());
        }
    }

    private static void assertPositive(JsonNode node, String field) {
        JsonNode v = node.get(field);
        assertTrue(v != null && v.isNumber() && v.asDouble() > 0, field + " in " + node);
    }
}
