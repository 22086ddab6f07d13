package dev.streamfm.analysis;

import java.util.Optional;

/**
 * One analysed training step: the model's raw figures and the gradient conflict derived from them.
 *
 * @param conflict empty when the model has no FM and DNN towers sharing embeddings
 */
public record AnalysedStep(StepAnalysis analysis, Optional<StepConflict> conflict) {

    public static AnalysedStep of(StepAnalysis analysis) {
        return new AnalysedStep(analysis, analysis.towers().map(t -> StepConflict.of(analysis.fields(), t)));
    }

    public long step() {
        return analysis.step();
    }
}
