package dev.streamfm.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamfm.analysis.LayerStat;
import dev.streamfm.analysis.StepAnalysis;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.streamfm.report.JsonFigures.NODES;
import static dev.streamfm.report.JsonFigures.put;

/**
 * steps.jsonl: one JSON object per analysed step, the raw figures every chart and every number of
 * summary.json derive from, for readers who want to slice them differently.
 */
final class StepRecordsJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private StepRecordsJson() {
    }

    static void write(List<StepRecord> records, Path file) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (StepRecord r : records) {
                out.write(MAPPER.writeValueAsString(toJson(r)));
                out.newLine();
            }
        }
    }

    static ObjectNode toJson(StepRecord r) {
        StepAnalysis a = r.analysed().analysis();
        ObjectNode node = NODES.objectNode();
        node.put("step", r.step());
        node.put("examples", r.examples());
        put(node, "auc", r.auc());
        put(node, "logloss", r.logloss());
        node.set("field_importance", JsonFigures.byField(a.fields(), a.fieldImportance()));
        ArrayNode layers = node.putArray("layers");
        for (LayerStat l : a.layers()) {
            layers.add(JsonFigures.layer(l));
        }
        r.analysed().conflict().ifPresentOrElse(c -> {
            ObjectNode conflict = node.putObject("conflict");
            c.all().ifPresentOrElse(g -> conflict.set("all", JsonFigures.conflict(g)), () -> conflict.putNull("all"));
            ObjectNode byField = conflict.putObject("by_field");
            c.byField().forEach((field, g) -> byField.set(field, JsonFigures.conflict(g)));
        }, () -> node.putNull("conflict"));
        r.embedding().ifPresentOrElse(e -> {
            ObjectNode embedding = node.putObject("embedding");
            embedding.put("shared", e.shared());
            embedding.set("fm_path", JsonFigures.byField(a.fields(), e.fmPath()));
            embedding.set("dnn_path", JsonFigures.byField(a.fields(), e.dnnPath()));
            embedding.set("sum", JsonFigures.byField(a.fields(), e.sum()));
        }, () -> node.putNull("embedding"));
        return node;
    }
}
