package dev.streamfm.analysis;

import dev.streamfm.model.LayerKind;

/**
 * Layer importance of one variable at one step.
 *
 * @param importance  mean |g * theta| over the variable's elements (rows touched by the batch for tables)
 * @param gradNorm    L2 norm of the gradient
 * @param paramNorm   L2 norm of the parameters (touched rows for tables)
 * @param updateRatio |delta theta| / |theta| of this step's update
 */
public record LayerStat(String layer, LayerKind kind, double importance, double gradNorm, double paramNorm,
                        double updateRatio) {
}
