package dev.streamfm.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamfm.analysis.LayerSummary;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static dev.streamfm.report.JsonFigures.NODES;
import static dev.streamfm.report.JsonFigures.put;

/** summary.json: the figures of the report's headline table and charts, for scripts. */
final class SummaryJson {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SummaryJson() {
    }

    static void write(ReportSummary s, List<ChartFile> charts, Path file) throws IOException {
        MAPPER.writeValue(file.toFile(), toJson(s, charts));
    }

    static ObjectNode toJson(ReportSummary s, List<ChartFile> charts) {
        RunInfo run = s.run();
        ObjectNode node = NODES.objectNode();
        node.put("input", run.input());
        node.put("model", run.model());
        node.put("every", run.every());
        node.put("batch_size", run.batchSize());
        node.put("examples", run.examples());
        node.put("steps", run.steps());
        node.put("analysed_steps", s.analysedSteps());
        put(node, "seconds", run.seconds());
        put(node, "auc", run.auc());
        put(node, "logloss", run.logloss());
        put(node, "bayes_auc", run.bayesAuc());
        put(node, "bayes_logloss", run.bayesLogloss());
        put(node, "final_window_auc", s.finalWindowAuc());
        put(node, "final_window_logloss", s.finalWindowLogloss());
        ArrayNode notes = node.putArray("notes");
        s.notes().forEach(notes::add);
        s.conflict().ifPresentOrElse(c -> node.set("conflict", conflict(c)), () -> node.putNull("conflict"));
        ArrayNode layers = node.putArray("layers");
        for (LayerSummary l : s.layers()) {
            layers.add(JsonFigures.layer(l));
        }
        ObjectNode byKind = node.putObject("importance_by_kind");
        s.importanceByKind().forEach((kind, v) -> put(byKind, kind.label(), v));
        ObjectNode tables = node.putObject("embedding_gradients");
        s.embeddingGradients().forEach((table, byField) -> tables.set(table, JsonFigures.byField(byField)));
        node.set("field_importance", JsonFigures.byField(s.fieldImportance()));
        ArrayNode ranking = node.putArray("field_ranking");
        s.fieldRanking().forEach(ranking::add);
        s.categories().ifPresentOrElse(c -> node.set("categories", categories(c)), () -> node.putNull("categories"));
        ArrayNode chartList = node.putArray("charts");
        for (ChartFile c : charts) {
            ObjectNode chart = chartList.addObject();
            chart.put("id", c.id());
            chart.put("title", c.title());
            chart.put("png", c.png());
            chart.put("svg", c.svg());
        }
        return node;
    }

    private static ObjectNode conflict(TowerConflict c) {
        ObjectNode node = NODES.objectNode();
        node.put("shared_embedding", c.sharedEmbedding());
        c.all().ifPresentOrElse(a -> node.set("all", JsonFigures.conflict(a)), () -> node.putNull("all"));
        ObjectNode byField = node.putObject("by_field");
        c.byField().forEach((field, summary) -> byField.set(field, JsonFigures.conflict(summary)));
        ObjectNode histogram = node.putObject("cosine_histogram");
        ArrayNode edges = histogram.putArray("lower_edges");
        ArrayNode counts = histogram.putArray("counts");
        for (int i = 0; i < CosineHistogram.BINS; i++) {
            edges.add(CosineHistogram.lower(i));
            counts.add(c.histogram().counts()[i]);
        }
        return node;
    }

    private static ObjectNode categories(ReportSummary.CategoryFigures c) {
        ObjectNode node = NODES.objectNode();
        node.put("field", c.field());
        ArrayNode values = node.putArray("values");
        for (CategoryConflict v : c.values()) {
            ObjectNode value = values.addObject();
            value.put("value", v.value());
            value.put("events", v.events());
            value.put("steps", v.steps());
            put(value, "conflicting_share", v.conflictingShare());
            put(value, "mean_cosine", v.meanCosine());
        }
        return node;
    }
}
