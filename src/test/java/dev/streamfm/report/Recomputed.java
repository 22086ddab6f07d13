package dev.streamfm.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Recomputes every figure of summary.json from steps.jsonl with explicit formulas (not the report's
 * code) and compares: the numbers a reader sees cannot drift from the records the charts are drawn from.
 */
final class Recomputed {

    static final ObjectMapper JSON = new ObjectMapper();

    private Recomputed() {
    }

    static JsonNode summary(Path dir) throws IOException {
        return JSON.readTree(dir.resolve(AnalysisReport.SUMMARY).toFile());
    }

    static List<JsonNode> steps(Path dir) throws IOException {
        List<JsonNode> steps = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve(AnalysisReport.STEPS))) {
            steps.add(JSON.readTree(line));
        }
        return steps;
    }

    static void checkSummary(JsonNode s, List<JsonNode> steps, List<String> fields) {
        assertEquals(steps.size(), s.get("analysed_steps").asInt());
        checkConflict(s.get("conflict"), steps, fields);
        checkLayers(s, steps);
        Map<String, Double> importance = new HashMap<>();
        for (String field : fields) {
            double mean = steps.stream().mapToDouble(st -> st.get("field_importance").get(field).asDouble())
                    .average().orElseThrow();
            importance.put(field, mean);
            assertEquals(mean, s.get("field_importance").get(field).asDouble(), 1e-12 * Math.abs(mean), field);
        }
        List<String> ranking = new ArrayList<>(fields);
        ranking.sort(Comparator.comparingDouble(importance::get).reversed());
        assertEquals(ranking, texts(s.get("field_ranking")));
        checkEmbeddingGradients(s.get("embedding_gradients"), steps, fields);
        JsonNode last = steps.get(steps.size() - 1);
        assertEquals(last.get("auc").asDouble(), s.get("final_window_auc").asDouble(), 0);
        assertEquals(last.get("logloss").asDouble(), s.get("final_window_logloss").asDouble(), 0);
    }

    private static void checkConflict(JsonNode conflict, List<JsonNode> steps, List<String> fields) {
        if (steps.stream().allMatch(st -> st.get("conflict").isNull())) {
            assertTrue(conflict.isNull(), "no step measured the towers, so no conflict figures");
            return;
        }
        List<Double> pooled = new ArrayList<>();
        for (String field : fields) {
            List<JsonNode> measured = new ArrayList<>();
            for (JsonNode step : steps) {
                JsonNode c = step.get("conflict").get("by_field").get(field);
                if (c != null) {
                    measured.add(c);
                    pooled.add(c.get("cosine").asDouble());
                }
            }
            if (measured.isEmpty()) {
                assertTrue(conflict.get("by_field").get(field) == null, field);
            } else {
                checkConflictSummary(measured, conflict.get("by_field").get(field), field);
            }
        }
        List<JsonNode> all = steps.stream().map(st -> st.get("conflict").get("all")).filter(a -> !a.isNull())
                .toList();
        checkConflictSummary(all, conflict.get("all"), "all");
        long[] bins = new long[20];
        for (double c : pooled) {
            bins[Math.min(19, (int) Math.floor((c + 1) * 10 + 1e-12))]++;
        }
        for (int i = 0; i < 20; i++) {
            assertEquals(bins[i], conflict.get("cosine_histogram").get("counts").get(i).asLong(), "cosine bin " + i);
        }
    }

    private static void checkConflictSummary(List<JsonNode> measured, JsonNode summary, String what) {
        int n = measured.size();
        double[] cos = measured.stream().mapToDouble(c -> c.get("cosine").asDouble()).toArray();
        double[] dom = measured.stream().mapToDouble(c -> c.get("dominance").asDouble()).sorted().toArray();
        double[] phi = measured.stream().mapToDouble(c -> c.get("magnitude_similarity").asDouble()).toArray();
        long conflicting = Arrays.stream(cos).filter(c -> c < 0).count();
        assertEquals(n, summary.get("steps").asInt(), what);
        assertEquals((double) conflicting / n, summary.get("conflicting_share").asDouble(), 1e-12, what);
        assertEquals(Arrays.stream(cos).average().orElseThrow(), summary.get("mean_cosine").asDouble(), 1e-12, what);
        double median = n % 2 == 1 ? dom[n / 2] : (dom[n / 2 - 1] + dom[n / 2]) / 2;
        assertEquals(median, summary.get("median_dominance").asDouble(), 1e-12 * median, what);
        assertEquals(Arrays.stream(phi).average().orElseThrow(), summary.get("magnitude_similarity").asDouble(),
                1e-12, what);
    }

    private static void checkLayers(JsonNode s, List<JsonNode> steps) {
        Map<String, double[]> sums = new LinkedHashMap<>();   // importance, grad norm, count
        Map<String, String> kinds = new HashMap<>();
        for (JsonNode step : steps) {
            for (JsonNode l : step.get("layers")) {
                double[] sum = sums.computeIfAbsent(l.get("layer").asText(), k -> new double[3]);
                sum[0] += l.get("importance").asDouble();
                sum[1] += l.get("grad_norm").asDouble();
                sum[2]++;
                kinds.put(l.get("layer").asText(), l.get("kind").asText());
            }
        }
        assertEquals(new ArrayList<>(sums.keySet()), texts(s.get("layers"), "layer"));
        Map<String, double[]> byKind = new LinkedHashMap<>();
        for (JsonNode l : s.get("layers")) {
            double[] sum = sums.get(l.get("layer").asText());
            double importance = sum[0] / sum[2];
            assertEquals(importance, l.get("importance").asDouble(), 1e-12 * importance, l.toString());
            assertEquals(sum[1] / sum[2], l.get("grad_norm").asDouble(), 1e-12 * sum[1] / sum[2], l.toString());
            assertEquals(kinds.get(l.get("layer").asText()), l.get("kind").asText());
            double[] k = byKind.computeIfAbsent(l.get("kind").asText(), x -> new double[2]);
            k[0] += importance;
            k[1]++;
        }
        assertEquals(byKind.keySet(), new HashSet<>(fieldNames(s.get("importance_by_kind"))));
        byKind.forEach((kind, k) -> assertEquals(k[0] / k[1], s.get("importance_by_kind").get(kind).asDouble(),
                1e-12 * k[0] / k[1], kind));
    }

    private static void checkEmbeddingGradients(JsonNode tables, List<JsonNode> steps, List<String> fields) {
        List<JsonNode> measured = steps.stream().map(st -> st.get("embedding")).filter(e -> !e.isNull()).toList();
        if (measured.isEmpty()) {
            assertTrue(tables.isEmpty());
            return;
        }
        boolean shared = measured.get(0).get("shared").asBoolean();
        Map<String, String> expected = shared ? Map.of("embedding", "sum")
                : Map.of("fm_embedding", "fm_path", "embedding", "dnn_path");
        assertEquals(expected.keySet(), new HashSet<>(fieldNames(tables)));
        expected.forEach((table, path) -> {
            for (String field : fields) {
                double mean = measured.stream().mapToDouble(e -> e.get(path).get(field).asDouble()).average()
                        .orElseThrow();
                assertEquals(mean, tables.get(table).get(field).asDouble(), 1e-12 * mean, table + " " + field);
            }
        });
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
