package dev.streamfm.report;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamfm.analysis.ConflictSummary;
import dev.streamfm.analysis.GradientConflict;
import dev.streamfm.analysis.LayerStat;
import dev.streamfm.analysis.LayerSummary;

import java.util.List;
import java.util.Map;

/**
 * The JSON shapes shared by summary.json and steps.jsonl, so a figure has one name in both files.
 * NaN and infinities (an undefined AUC, say) become null: JSON has no NaN.
 */
final class JsonFigures {

    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonFigures() {
    }

    static void put(ObjectNode node, String name, double value) {
        if (Double.isFinite(value)) {
            node.put(name, value);
        } else {
            node.putNull(name);
        }
    }

    static ObjectNode byField(Map<String, Double> values) {
        ObjectNode node = NODES.objectNode();
        values.forEach((field, v) -> put(node, field, v));
        return node;
    }

    static ObjectNode byField(List<String> fields, double[] values) {
        ObjectNode node = NODES.objectNode();
        for (int f = 0; f < fields.size(); f++) {
            put(node, fields.get(f), values[f]);
        }
        return node;
    }

    static ObjectNode conflict(GradientConflict c) {
        ObjectNode node = NODES.objectNode();
        put(node, "cosine", c.cosine());
        put(node, "dominance", c.dominance());
        put(node, "magnitude_similarity", c.magnitudeSimilarity());
        return node;
    }

    static ObjectNode conflict(ConflictSummary c) {
        ObjectNode node = NODES.objectNode();
        node.put("steps", c.steps());
        put(node, "conflicting_share", c.conflictingShare());
        put(node, "mean_cosine", c.meanCosine());
        put(node, "mean_dominance", c.meanDominance());
        put(node, "median_dominance", c.medianDominance());
        put(node, "magnitude_similarity", c.meanMagnitudeSimilarity());
        return node;
    }

    static ObjectNode layer(LayerStat l) {
        ObjectNode node = layerHead(l.layer(), l.kind().label());
        layerFigures(node, l.importance(), l.gradNorm(), l.paramNorm(), l.updateRatio());
        return node;
    }

    static ObjectNode layer(LayerSummary l) {
        ObjectNode node = layerHead(l.layer(), l.kind().label());
        node.put("steps", l.steps());
        layerFigures(node, l.importance(), l.gradNorm(), l.paramNorm(), l.updateRatio());
        return node;
    }

    private static ObjectNode layerHead(String layer, String kind) {
        ObjectNode node = NODES.objectNode();
        node.put("layer", layer);
        node.put("kind", kind);
        return node;
    }

    private static void layerFigures(ObjectNode node, double importance, double gradNorm, double paramNorm,
                                     double updateRatio) {
        put(node, "importance", importance);
        put(node, "grad_norm", gradNorm);
        put(node, "param_norm", paramNorm);
        put(node, "update_ratio", updateRatio);
    }
}
