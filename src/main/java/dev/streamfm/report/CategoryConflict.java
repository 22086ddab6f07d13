package dev.streamfm.report;

/**
 * Gradient conflict on the embedding of one value of a field, over the pass.
 *
 * @param events           events of the pass that carried the value
 * @param steps            analysed steps whose batch carried the value and measured a conflict on it
 * @param conflictingShare fraction of those steps with cosine < 0 (NaN when steps = 0)
 * @param meanCosine       mean cosine over those steps (NaN when steps = 0)
 */
public record CategoryConflict(String value, long events, int steps, double conflictingShare, double meanCosine) {
}
