package dev.streamfm.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamfm.analysis.TowerGradients;
import dev.streamfm.schema.ClickEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The report's files against independent recomputations, on hand-made training steps. */
class AnalysisReportTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BATCH = 16;
    private static final int BATCHES = 80;
    private static final int EVERY = 2;
    private static final String[] ITEMS = {"apple", "pear", "plum", "fig", "kiwi"};

    /** A pass over hand-made steps, with the vectors and events of each analysed step kept for checking. */
    private record Pass(Path dir, JsonNode summary, List<JsonNode> steps, List<Steps.Vectors> vectors,
                        List<List<ClickEvent>> analysedEvents, Map<String, Long> itemCounts) {
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
            recorder.onBatch(events, Steps.result(step, t, Steps.randomImportance(rnd), Steps.randomLayers(rnd, towers)),
                    examples, auc, logloss);
            vectors.add(v);
            analysedEvents.add(events);
        }
        RunInfo info = new RunInfo("hand-made steps", towers ? "deepfm" : "fm", EVERY, BATCH, examples, BATCHES,
                0.71, 0.62, 1.5);
        AnalysisReport.write(info, recorder, dir);
        List<JsonNode> steps = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve(AnalysisReport.STEPS))) {
            steps.add(JSON.readTree(line));
        }
        return new Pass(dir, JSON.readTree(dir.resolve(AnalysisReport.SUMMARY).toFile()), steps, vectors,
                analysedEvents, itemCounts);
    }

    @Test
    void summaryEqualsTheFiguresRecomputedFromTheStepRecords(@TempDir Path dir) throws IOException {
        dir = Path.of("/tmp/rep1"); 
        Pass p = run(dir, true, true, 11);
        JsonNode s = p.summary();
        assertEquals(BATCHES / EVERY, p.steps().size());
        assertEquals(p.steps().size(), s.get("analysed_steps").asInt());

        JsonNode conflict = s.get("conflict");
        List<Double> pooledCosines = new ArrayList<>();
        for (String field : Steps.FIELDS) {
            List<JsonNode> measured = new ArrayList<>();
            for (JsonNode step : p.steps()) {
                JsonNode c = step.get("conflict").get("by_field").get(field);
                if (c != null) {
                    measured.add(c);
                    pooledCosines.add(c.get("cosine").asDouble());
                }
            }
            assertTrue(measured.size() > 10, field);
            checkConflict(measured, conflict.get("by_field").get(field), field);
        }
        List<JsonNode> all = p.steps().stream().map(st -> st.get("conflict").get("all")).toList();
        checkConflict(all, conflict.get("all"), "all");
        JsonNode bins = conflict.get("cosine_histogram").get("counts");
        long[] expected = new long[20];
        for (double c : pooledCosines) {
            expected[Math.min(19, (int) Math.floor((c + 1) * 10 + 1e-12))]++;
        }
        for (int i = 0; i < 20; i++) {
            assertEquals(expected[i], bins.get(i).asLong(), "cosine bin " + i);
        }

        Map<String, double[]> layerSums = new LinkedHashMap<>();   // importance, grad norm, count
        Map<String, String> kinds = new HashMap<>();
        for (JsonNode step : p.steps()) {
            for (JsonNode l : step.get("layers")) {
                double[] sum = layerSums.computeIfAbsent(l.get("layer").asText(), k -> new double[3]);
                sum[0] += l.get("importance").asDouble();
                sum[1] += l.get("grad_norm").asDouble();
                sum[2]++;
                kinds.put(l.get("layer").asText(), l.get("kind").asText());
            }
        }
        Map<String, double[]> kindSums = new HashMap<>();
        for (JsonNode l : s.get("layers")) {
            double[] sum = layerSums.get(l.get("layer").asText());
            assertEquals(sum[0] / sum[2], l.get("importance").asDouble(), 1e-12, l.toString());
            assertEquals(sum[1] / sum[2], l.get("grad_norm").asDouble(), 1e-12, l.toString());
            double[] k = kindSums.computeIfAbsent(kinds.get(l.get("layer").asText()), x -> new double[2]);
            k[0] += sum[0] / sum[2];
            k[1]++;
        }
        assertEquals(layerSums.size(), s.get("layers").size());
        assertEquals(kindSums.keySet(), fieldNames(s.get("importance_by_kind")).stream()
                .collect(java.util.stream.Collectors.toSet()));
        kindSums.forEach((kind, k) -> assertEquals(k[0] / k[1], s.get("importance_by_kind").get(kind).asDouble(),
                1e-12, kind));

        Map<String, Double> importance = new HashMap<>();
        for (String field : Steps.FIELDS) {
            double mean = p.steps().stream().mapToDouble(st -> st.get("field_importance").get(field).asDouble())
                    .average().orElseThrow();
            importance.put(field, mean);
            assertEquals(mean, s.get("field_importance").get(field).asDouble(), 1e-12, field);
            double grad = p.steps().stream().mapToDouble(st -> st.get("embedding").get("sum").get(field).asDouble())
                    .average().orElseThrow();
            assertEquals(grad, s.get("embedding_gradients").get("embedding").get(field).asDouble(), 1e-12, field);
        }
        List<String> ranking = new ArrayList<>(Steps.FIELDS);
        ranking.sort(Comparator.comparingDouble(importance::get).reversed());
        assertEquals(ranking, texts(s.get("field_ranking")));

        JsonNode last = p.steps().get(p.steps().size() - 1);
        assertEquals(last.get("auc").asDouble(), s.get("final_window_auc").asDouble(), 0);
        assertEquals(last.get("logloss").asDouble(), s.get("final_window_logloss").asDouble(), 0);
        assertEquals(0.71, s.get("auc").asDouble(), 0);
        assertTrue(p.steps().get(0).get("auc").isNull(), "an undefined AUC is null, not NaN");
    }

    @Test
    void stepRecordsHoldTheConflictOfTheGradientVectors(@TempDir Path dir) throws IOException {
        Pass p = run(dir, true, true, 5);
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
    void perCategoryConflictEqualsAPerValueRecomputation(@TempDir Path dir) throws IOException {
        Pass p = run(dir, true, true, 3);
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
        assertTrue(texts(s.get("notes")).stream().anyMatch(n -> n.contains("no DNN tower")), s.get("notes").toString());
        String text = Files.readString(dir.resolve(AnalysisReport.SUMMARY));
        assertFalse(text.contains("NaN") || text.contains("Infinity"), text);
        List<String> ids = texts(s.get("charts"), "id");
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
        assertEquals(List.of(EmbeddingGradients.FM_TABLE, EmbeddingGradients.TABLE), fieldNames(tables));
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
        List<String> ids = texts(s.get("charts"), "id");
        assertTrue(ids.containsAll(List.of("grad-norm-fields-fm-embedding", "grad-norm-fields-embedding")), ids.toString());
        assertTrue(texts(s.get("notes")).stream().anyMatch(n -> n.contains("Decoupled")));
    }

    private static void checkConflict(List<JsonNode> measured, JsonNode summary, String what) {
        int n = measured.size();
        double[] cos = measured.stream().mapToDouble(c -> c.get("cosine").asDouble()).toArray();
        double[] dom = measured.stream().mapToDouble(c -> c.get("dominance").asDouble()).sorted().toArray();
        double[] phi = measured.stream().mapToDouble(c -> c.get("magnitude_similarity").asDouble()).toArray();
        long conflicting = java.util.Arrays.stream(cos).filter(c -> c < 0).count();
        assertEquals(n, summary.get("steps").asInt(), what);
        assertEquals((double) conflicting / n, summary.get("conflicting_share").asDouble(), 1e-12, what);
        assertEquals(java.util.Arrays.stream(cos).average().orElseThrow(), summary.get("mean_cosine").asDouble(),
                1e-12, what);
        double median = n % 2 == 1 ? dom[n / 2] : (dom[n / 2 - 1] + dom[n / 2]) / 2;
        assertEquals(median, summary.get("median_dominance").asDouble(), 1e-12, what);
        assertEquals(java.util.Arrays.stream(phi).average().orElseThrow(),
                summary.get("magnitude_similarity").asDouble(), 1e-12, what);
    }

    private static void checkStep(double[] sums, JsonNode c, String what) {
        double fm = Math.sqrt(sums[1]);
        double dnn = Math.sqrt(sums[2]);
        assertEquals(sums[0] / (fm * dnn), c.get("cosine").asDouble(), 1e-5, what);
        assertEquals(dnn / fm, c.get("dominance").asDouble(), 1e-5 * dnn / fm, what);
        assertEquals(2 * fm * dnn / (sums[1] + sums[2]), c.get("magnitude_similarity").asDouble(), 1e-5, what);
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    static List<String> texts(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.get(field).asText()));
        return out;
    }

    static List<String> fieldNames(JsonNode object) {
        List<String> out = new ArrayList<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
