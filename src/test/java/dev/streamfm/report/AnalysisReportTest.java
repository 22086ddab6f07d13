package dev.streamfm.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamfm.analysis.TowerGradients;
import dev.streamfm.schema.ClickEvent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The report's files against independent recomputations, on hand-made training steps. */
class AnalysisReportTest {

    private static final int BATCH = 16;
    private static final int BATCHES = 80;
    private static final int EVERY = 2;
    private static final String[] ITEMS = {"apple", "pear", "plum", "fig", "kiwi"};

    /** A pass over hand-made steps, with the vectors and events of each analysed step kept for checking. */
    private record Pass(Path dir, JsonNode summary, List<JsonNode> steps, List<Steps.Vectors> vectors,
                        List<List<ClickEvent>> analysedEvents, Map<String, Long> itemCounts) {
    }

    /** One pass with shared towers serves every test that checks figures of such a model. */
    @TempDir
    static Path sharedDir;
    private static Pass shared;

    @BeforeAll
    static void runSharedTowerPass() throws IOException {
        shared = run(sharedDir, true, true, 11);
    }

    private static Pass run(Path dir, boolean towers, boolean shared, long seed) throws IOException {
        Random rnd = new Random(seed);
        AnalysisRecorder recorder = new AnalysisRecorder(Optional.of(new CategoryConflicts("item", 1)));
        List<Steps.Vectors> vectors = new ArrayList<>();
        List<List<ClickEvent>> analysedEvents = new ArrayList<>();
        Map<String, Long> itemCounts = new HashMap<>();
        long examples = 0;
        for (int step = 0; step < BATCHES; step++) {
            List<ClickEvent> events = Steps.events(rnd, BATCH, ITEMS);
            events.forEach(e -> itemCounts.merge(e.getCategorical().get("item"), 1L, Long::sum));
            examples += BATCH;
            double auc = step == 0 ? Double.NaN : 0.6 + 0.002 * step;
            double logloss = 0.7 - 0.001 * step;
            if (step % EVERY != 0) {
                recorder.onBatch(events, Steps.unanalysed(BATCH), examples, auc, logloss);
                continue;
            }
            Steps.Vectors v = Steps.randomVectors(rnd, BATCH);
            Optional<TowerGradients> t = towers ? Optional.of(v.towers(shared)) : Optional.empty();
            recorder.onBatch(events, Steps.result(step, t, Steps.randomImportance(rnd),
                    Steps.randomLayers(rnd, towers)), examples, auc, logloss);
            vectors.add(v);
            analysedEvents.add(events);
        }
        RunInfo info = new RunInfo("hand-made steps", towers ? "deepfm" : "fm", EVERY, BATCH, examples, BATCHES,
                0.71, 0.62, Double.NaN, Double.NaN, 1.5);
        AnalysisReport.write(info, recorder, dir);
        return new Pass(dir, Recomputed.summary(dir), Recomputed.steps(dir), vectors, analysedEvents, itemCounts);
    }

    @Test
    void summaryEqualsTheFiguresRecomputedFromTheStepRecords() {
        Pass p = shared;
        assertEquals(BATCHES / EVERY, p.steps().size());
        Recomputed.checkSummary(p.summary(), p.steps(), Steps.FIELDS);
        assertEquals(0.71, p.summary().get("auc").asDouble(), 0);
        assertTrue(p.steps().get(0).get("auc").isNull(), "an undefined AUC is null, not NaN");
        assertTrue(p.summary().get("bayes_auc").isNull());
    }

    @Test
    void chartsAreValidFilesAndTheReportShowsEveryOne() throws Exception {
        Pass p = shared;
        ChartFiles.check(p.dir(), p.summary(), List.of("cosine-histogram", "conflict-share-by-field",
                "dominance-over-time", "category-conflict", "layer-importance-by-kind", "layer-importance-over-time",
                "grad-norm-dnn-layers", "grad-norm-fields-embedding", "field-importance", "online-auc-logloss"));
    }

    @Test
    void stepRecordsHoldTheConflictOfTheGradientVectors() {
        Pass p = shared;
        for (int i = 0; i < p.vectors().size(); i++) {
            Steps.Vectors v = p.vectors().get(i);
            JsonNode step = p.steps().get(i);
            double[] allSums = new double[3];
            for (int f = 0; f < Steps.FIELDS.size(); f++) {
                double[] sums = new double[3];   // <G_fm, G_dnn>, |G_fm|^2, |G_dnn|^2 over the batch
                double sumSq = 0;                 // sum over examples of |g_fm + g_dnn|^2
                for (int b = 0; b < BATCH; b++) {
                    for (int d = 0; d < Steps.DIM; d++) {
                        double fm = v.fm()[b][f][d];
                        double dnn = v.dnn()[b][f][d];
                        sums[0] += fm * dnn;
                        sums[1] += fm * fm;
                        sums[2] += dnn * dnn;
                        sumSq += (fm + dnn) * (fm + dnn);
                    }
                }
                for (int k = 0; k < 3; k++) {
                    allSums[k] += sums[k];
                }
                String field = Steps.FIELDS.get(f);
                JsonNode c = step.get("conflict").get("by_field").get(field);
                if (sums[2] == 0) {
                    assertTrue(c == null, "a field without DNN gradient has no conflict figures");
                } else {
                    checkStep(sums, c, field);
                }
                JsonNode e = step.get("embedding");
                assertEquals(Math.sqrt(sumSq / BATCH), e.get("sum").get(field).asDouble(), 1e-4, field);
                assertEquals(Math.sqrt(sums[1] / BATCH), e.get("fm_path").get(field).asDouble(), 1e-4, field);
                assertEquals(Math.sqrt(sums[2] / BATCH), e.get("dnn_path").get(field).asDouble(), 1e-4, field);
            }
            checkStep(allSums, step.get("conflict").get("all"), "all");
        }
    }

    @Test
    void perCategoryConflictEqualsAPerValueRecomputation() {
        Pass p = shared;
        int item = Steps.FIELDS.indexOf("item");
        Map<String, int[]> tallies = new HashMap<>();   // steps, conflicting
        Map<String, Double> cosineSums = new HashMap<>();
        for (int i = 0; i < p.vectors().size(); i++) {
            Map<String, double[]> sums = new HashMap<>();
            for (int b = 0; b < BATCH; b++) {
                String value = p.analysedEvents().get(i).get(b).getCategorical().get("item");
                double[] s = sums.computeIfAbsent(value, k -> new double[3]);
                for (int d = 0; d < Steps.DIM; d++) {
                    double fm = p.vectors().get(i).fm()[b][item][d];
                    double dnn = p.vectors().get(i).dnn()[b][item][d];
                    s[0] += fm * dnn;
                    s[1] += fm * fm;
                    s[2] += dnn * dnn;
                }
            }
            sums.forEach((value, s) -> {
                if (s[1] > 0 && s[2] > 0) {
                    double cos = s[0] / Math.sqrt(s[1] * s[2]);
                    int[] t = tallies.computeIfAbsent(value, k -> new int[2]);
                    t[0]++;
                    t[1] += cos < 0 ? 1 : 0;
                    cosineSums.merge(value, cos, Double::sum);
                }
            });
        }
        JsonNode categories = p.summary().get("categories");
        assertEquals("item", categories.get("field").asText());
        assertEquals(ITEMS.length, categories.get("values").size());
        long previous = Long.MAX_VALUE;
        int conflictingSomewhere = 0;
        for (JsonNode v : categories.get("values")) {
            String value = v.get("value").asText();
            long events = v.get("events").asLong();
            assertEquals(p.itemCounts().get(value), events, value);
            assertTrue(events <= previous, "most frequent first");
            previous = events;
            int[] t = tallies.get(value);
            assertEquals(t[0], v.get("steps").asInt(), value);
            assertEquals((double) t[1] / t[0], v.get("conflicting_share").asDouble(), 1e-12, value);
            assertEquals(cosineSums.get(value) / t[0], v.get("mean_cosine").asDouble(), 1e-5, value);
            conflictingSomewhere += t[1];
        }
        assertTrue(conflictingSomewhere > 0, "the fixture must produce some conflicts");
    }

    @Test
    void withoutADnnTowerTheReportSaysSoAndDividesNothingByZero(@TempDir Path dir) throws IOException {
        Pass p = run(dir, false, true, 9);
        JsonNode s = p.summary();
        assertTrue(s.get("conflict").isNull());
        assertTrue(s.get("embedding_gradients").isEmpty());
        assertTrue(Recomputed.texts(s.get("notes")).stream().anyMatch(n -> n.contains("no DNN tower")),
                s.get("notes").toString());
        String text = Files.readString(dir.resolve(AnalysisReport.SUMMARY));
        assertFalse(text.contains("NaN") || text.contains("Infinity"), text);
        List<String> ids = Recomputed.texts(s.get("charts"), "id");
        assertFalse(ids.contains("cosine-histogram") || ids.contains("dominance-over-time")
                || ids.contains("conflict-share-by-field") || ids.contains("grad-norm-dnn-layers"), ids.toString());
        assertTrue(ids.containsAll(List.of("layer-importance-by-kind", "field-importance", "online-auc-logloss")));
        assertTrue(Files.readString(dir.resolve(AnalysisReport.HTML)).contains("no DNN tower"));
    }

    @Test
    void decoupledTablesAreReportedApart(@TempDir Path dir) throws IOException {
        Pass p = run(dir, true, false, 13);
        JsonNode s = p.summary();
        JsonNode tables = s.get("embedding_gradients");
        assertEquals(List.of(EmbeddingGradients.FM_TABLE, EmbeddingGradients.TABLE), Recomputed.fieldNames(tables));
        for (String field : Steps.FIELDS) {
            double fm = p.steps().stream().mapToDouble(st -> st.get("embedding").get("fm_path").get(field).asDouble())
                    .average().orElseThrow();
            double dnn = p.steps().stream().mapToDouble(st -> st.get("embedding").get("dnn_path").get(field)
                    .asDouble()).average().orElseThrow();
            assertEquals(fm, tables.get(EmbeddingGradients.FM_TABLE).get(field).asDouble(), 1e-12, field);
            assertEquals(dnn, tables.get(EmbeddingGradients.TABLE).get(field).asDouble(), 1e-12, field);
            assertTrue(Math.abs(fm - dnn) > 1e-3, "the fixture gives the two paths different sizes");
        }
        assertFalse(s.get("conflict").get("shared_embedding").asBoolean());
        List<String> ids = Recomputed.texts(s.get("charts"), "id");
        assertTrue(ids.containsAll(List.of("grad-norm-fields-fm-embedding", "grad-norm-fields-embedding")),
                ids.toString());
        assertTrue(Recomputed.texts(s.get("notes")).stream().anyMatch(n -> n.contains("Decoupled")));
    }

    private static void checkStep(double[] sums, JsonNode c, String what) {
        double fm = Math.sqrt(sums[1]);
        double dnn = Math.sqrt(sums[2]);
        assertEquals(sums[0] / (fm * dnn), c.get("cosine").asDouble(), 1e-5, what);
        assertEquals(dnn / fm, c.get("dominance").asDouble(), 1e-5 * dnn / fm, what);
        assertEquals(2 * fm * dnn / (sums[1] + sums[2]), c.get("magnitude_similarity").asDouble(), 1e-5, what);
    }
}
