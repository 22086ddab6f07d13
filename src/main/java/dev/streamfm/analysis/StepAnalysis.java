package dev.streamfm.analysis;

import java.util.List;
import java.util.Optional;

/**
 * The gradient analysis of one training step, reduced in the graph to per-field and per-layer
 * figures.
 *
 * @param step            training step the figures belong to (before the update)
 * @param fields          field names, index-aligned with the per-field arrays
 * @param towers          FM-vs-DNN gradients on the field embeddings; empty when the model has no two towers
 * @param fieldImportance per field, mean over the batch of |sum_d g_e * e| (first-order Taylor)
 * @param layers          per variable: importance, gradient and parameter norms, update ratio
 */
public record StepAnalysis(long step, List<String> fields, Optional<TowerGradients> towers,
                           double[] fieldImportance, List<LayerStat> layers) {
}
