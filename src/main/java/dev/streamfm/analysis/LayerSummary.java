package dev.streamfm.analysis;

import dev.streamfm.model.LayerKind;

/**
 * Rolling means of one variable's {@link LayerStat} figures over a window of analysed steps.
 *
 * @param steps analysed steps in the window that reported the variable
 */
public record LayerSummary(String layer, LayerKind kind, int steps, double importance, double gradNorm,
                           double paramNorm, double updateRatio) {
}
