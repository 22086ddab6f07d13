package dev.streamfm.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamfm.evaluation.Metrics;
import dev.streamfm.evaluation.PrequentialEvaluator;
import dev.streamfm.features.FeatureSpec;
import dev.streamfm.features.FieldSpec;
import dev.streamfm.features.NumericTransform;
import dev.streamfm.model.Model;
import dev.streamfm.model.ModelConfig;
import dev.streamfm.model.ModelType;
import dev.streamfm.model.Models;
import dev.streamfm.synth.SynthConfig;
import dev.streamfm.synth.SynthShape;
import dev.streamfm.synth.SyntheticExample;
import dev.streamfm.synth.SyntheticGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The analysis on the real model and evaluator, over small planted-teacher streams. */
class AnalysisPassTest {

    private static final SynthShape SHAPE = SynthShape.FRAPPE_LIKE;
    private static final FeatureSpec SPEC = FeatureSpec.forShape(SHAPE);
    private static final int BATCH = 256;

    private static ModelConfig config(ModelType type) {
        return ModelConfig.builder(type).sizes(SHAPE.embeddingDim(), SHAPE.hiddenUnits()).build();
    }

    private static JsonNode analyse(ModelType type, SynthConfig teacher, int events, int every,
                                    Optional<String> byField, Path dir) throws Exception {
        SyntheticGenerator g = new SyntheticGenerator(SHAPE, teacher);
        try (Model m = Models.create(config(type), SPEC.layout())) {
            AnalysisPass.prepare(SPEC, new AnalysisPass.Settings("test", BATCH, every, 2000, byField))
                    .train(m, g.examples(0, events), n -> { }).write(dir);
        }
        return Recomputed.summary(dir);
    }

    @Test
    void deepFmReportAgreesWithItsRecordsAndWithAPlainEvaluatorPass(@TempDir Path dir) throws Exception {
        int events = 20_000;
        SynthConfig teacher = SynthConfig.defaults(21);
        JsonNode s = analyse(ModelType.DEEPFM, teacher, events, 2, Optional.of("f0"), dir);
        List<JsonNode> steps = Recomputed.steps(dir);
        int trainingSteps = (events + BATCH - 1) / BATCH;
        assertEquals(trainingSteps, s.get("steps").asInt());
        assertEquals((trainingSteps + 1) / 2, steps.size(), "steps 0, 2, 4, ... are analysed");
        Recomputed.checkSummary(s, steps, SPEC.layout().fieldNames());
        ChartFiles.check(dir, s, List.of("cosine-histogram", "conflict-share-by-field", "dominance-over-time",
                "category-conflict", "layer-importance-by-kind", "layer-importance-over-time", "grad-norm-dnn-layers",
                "grad-norm-fields-embedding", "field-importance", "online-auc-logloss"));
        assertTrue(s.get("conflict").get("shared_embedding").asBoolean());
        assertTrue(s.get("notes").isEmpty(), s.get("notes").toString());

        JsonNode categories = s.get("categories");
        assertEquals(ReportSummary.TOP_CATEGORIES, categories.get("values").size());
        assertEquals("v0", categories.get("values").get(0).get("value").asText(), "Zipf: rank 0 is the most frequent");
        long counted = 0;
        for (JsonNode v : categories.get("values")) {
            counted += v.get("events").asLong();
            assertTrue(v.get("steps").asInt() > 0, v.toString());
        }
        assertTrue(counted > events / 2, "the top 20 of a Zipf field carry most events");

        // The report's online figures are the evaluator's: the same pass without analysis scores the same.
        Metrics plain;
        try (Model m = Models.create(config(ModelType.DEEPFM), SPEC.layout())) {
            plain = new PrequentialEvaluator(m, SPEC, BATCH)
                    .train(new SyntheticGenerator(SHAPE, teacher).examples(0, events), n -> { }).scores().all();
        }
        assertEquals(plain.auc(), s.get("auc").asDouble(), 1e-9);
        assertEquals(plain.logloss(), s.get("logloss").asDouble(), 1e-9);
        assertTrue(s.get("bayes_auc").asDouble() > s.get("auc").asDouble(), "the planted teacher is the ceiling");
    }

    @Test
    void fmOnlyTeacherAndModelReportNoDnnPathInsteadOfDividingByZero(@TempDir Path dir) throws Exception {
        SynthConfig noMlp = SynthConfig.defaults(5).withTerms(1.5, 0.7, 0.0);
        JsonNode s = analyse(ModelType.FM, noMlp, 5_000, 1, Optional.empty(), dir);
        assertTrue(s.get("conflict").isNull());
        assertTrue(s.get("embedding_gradients").isEmpty());
        assertTrue(Recomputed.texts(s.get("notes")).stream().anyMatch(n -> n.contains("no DNN tower")),
                s.get("notes").toString());
        for (JsonNode l : s.get("layers")) {
            assertFalse(List.of("dnn", "output").contains(l.get("kind").asText()), l.toString());
        }
        for (String file : List.of(AnalysisReport.SUMMARY, AnalysisReport.STEPS)) {
            String text = Files.readString(dir.resolve(file));
            assertFalse(text.contains("NaN") || text.contains("Infinity"), file);
        }
        List<JsonNode> steps = Recomputed.steps(dir);
        assertTrue(steps.stream().allMatch(st -> st.get("conflict").isNull() && st.get("embedding").isNull()));
        Recomputed.checkSummary(s, steps, SPEC.layout().fieldNames());
        List<String> charts = Recomputed.texts(s.get("charts"), "id");
        assertEquals(List.of("layer-importance-by-kind", "layer-importance-over-time", "field-importance",
                "online-auc-logloss"), charts);
        assertTrue(Files.readString(dir.resolve(AnalysisReport.HTML)).contains("no DNN tower"));
    }

    @Test
    void decoupledModelReportsTheGradientsOfItsTwoTablesApart(@TempDir Path dir) throws Exception {
        JsonNode s = analyse(ModelType.DEEPFM_DECOUPLED, SynthConfig.defaults(8), 5_000, 1, Optional.empty(), dir);
        JsonNode tables = s.get("embedding_gradients");
        assertEquals(List.of(EmbeddingGradients.FM_TABLE, EmbeddingGradients.TABLE), Recomputed.fieldNames(tables));
        List<JsonNode> steps = Recomputed.steps(dir);
        Recomputed.checkSummary(s, steps, SPEC.layout().fieldNames());
        for (String field : SPEC.layout().fieldNames()) {
            assertTrue(tables.get(EmbeddingGradients.FM_TABLE).get(field).asDouble() > 0, field);
            assertTrue(tables.get(EmbeddingGradients.TABLE).get(field).asDouble() > 0, field);
        }
        assertFalse(s.get("conflict").get("shared_embedding").asBoolean());
        List<String> layers = Recomputed.texts(s.get("layers"), "layer");
        List<String> kinds = Recomputed.texts(s.get("layers"), "kind");
        assertEquals("fm", kinds.get(layers.indexOf(EmbeddingGradients.FM_TABLE)));
        assertEquals("embedding", kinds.get(layers.indexOf(EmbeddingGradients.TABLE)));
        List<String> charts = Recomputed.texts(s.get("charts"), "id");
        assertTrue(charts.containsAll(List.of("grad-norm-fields-fm-embedding", "grad-norm-fields-embedding")),
                charts.toString());
    }

    @Test
    void unknownOrNumericFieldAndEmptyStreamAreClearErrors(@TempDir Path dir) {
        ReportException unknown = assertThrows(ReportException.class,
                () -> AnalysisPass.categories(SPEC, Optional.of("user")));
        assertTrue(unknown.getMessage().contains("unknown field 'user'") && unknown.getMessage().contains("f0, f1"),
                unknown.getMessage());
        FeatureSpec withNumber = new FeatureSpec(List.of(FieldSpec.categorical("item", 10),
                FieldSpec.numeric("price", NumericTransform.RAW)));
        ReportException numeric = assertThrows(ReportException.class,
                () -> AnalysisPass.categories(withNumber, Optional.of("price")));
        assertTrue(numeric.getMessage().contains("numeric"), numeric.getMessage());
        assertEquals("item", AnalysisPass.categories(withNumber, Optional.of("item")).orElseThrow().field());

        try (Model m = Models.create(config(ModelType.DEEPFM), SPEC.layout())) {
            AnalysisPass pass = AnalysisPass.prepare(SPEC, new AnalysisPass.Settings("empty", BATCH, 1, 100,
                    Optional.empty()));
            ReportException empty = assertThrows(ReportException.class,
                    () -> pass.train(m, List.<SyntheticExample>of().iterator(), n -> { }));
            assertTrue(empty.getMessage().contains("no usable event"), empty.getMessage());
        }
        assertFalse(Files.exists(dir.resolve(AnalysisReport.SUMMARY)), "no report for an empty stream");
    }
}
