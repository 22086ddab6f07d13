package dev.streamfm.analysis;

import java.util.List;
import java.util.Optional;

/**
 * The gradient analysis of one training step, reduced in the graph to per-field and per-layer
 * figures.
 *
 * @param step            training step the figures belong to (before the update)
 * @param fields          field names, index-aligned with the per-field arrays
 * @param pairs           every pair of towers reading the field embeddings, with their gradients; empty with fewer
 *                        than two towers
 * @param fieldImportance per field, mean over the batch of |sum_d g_e * e| (first-order Taylor)
 * @param layers          per variable: importance, gradient and parameter norms, update ratio
 */
public record StepAnalysis(long step, List<String> fields, List<TowerGradients> pairs, double[] fieldImportance,
                           List<LayerStat> layers) {

    public StepAnalysis {
        pairs = List.copyOf(pairs);
    }

    /** The first pair (FM-DNN when the model has both): the one the offline report charts. */
    public Optional<TowerGradients> firstPair() {
        return pairs.stream().findFirst();
    }
}
