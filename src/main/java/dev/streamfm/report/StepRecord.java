package dev.streamfm.report;

import dev.streamfm.analysis.AnalysedStep;
import dev.streamfm.analysis.StepAnalysis;

import java.util.List;
import java.util.Optional;

/**
 * What the report keeps of one analysed training step: the figures the live metrics derive from
 * it, the embedding gradient sizes, and the online quality as of that step. The per-example
 * tower arrays are dropped once reduced, so a long pass keeps a few hundred numbers per step.
 *
 * @param examples examples trained so far, this step's batch included
 * @param auc      online AUC over the evaluator's rolling window as of this step (NaN while undefined)
 * @param logloss  online log loss over the same window
 * @param analysed the step's analysis without the per-example tower arrays, and its conflict
 * @param embedding empty when the model has no FM and DNN towers
 */
public record StepRecord(long examples, double auc, double logloss, AnalysedStep analysed,
                         Optional<EmbeddingGradients> embedding) {

    public static StepRecord of(AnalysedStep step, long examples, double auc, double logloss) {
        StepAnalysis a = step.analysis();
        StepAnalysis reduced = new StepAnalysis(a.step(), a.fields(), List.of(), a.fieldImportance(), a.layers());
        return new StepRecord(examples, auc, logloss, new AnalysedStep(reduced, step.conflicts()),
                a.firstPair().map(EmbeddingGradients::of));
    }

    public long step() {
        return analysed.step();
    }
}
