package dev.streamfm.model;

/**
 * How much of the gradient analysis a training step computes with its update.
 *
 * <p>The two parts differ in cost by an order of magnitude: the conflict figures reduce the
 * per-example field gradients, a few [B, F, D] tensors, while the layer statistics read every
 * weight, its gradient and its change, several passes over the dense layers that the update itself
 * makes only once or twice (README, "What gradient analysis costs").
 */
public enum AnalysisLevel {

    /** No analysis: the update alone. */
    OFF,
    /** Tower conflicts (per field and example) and field importance. */
    CONFLICTS,
    /** Conflicts and field importance, and the statistics of every layer. */
    FULL;

    public boolean any() {
        return this != OFF;
    }

    /** The deeper of the two levels. */
    public AnalysisLevel atLeast(AnalysisLevel other) {
        return compareTo(other) >= 0 ? this : other;
    }
}
