package dev.streamfm.report;

import dev.streamfm.analysis.AnalysedStep;
import dev.streamfm.model.TrainResult;
import dev.streamfm.schema.ClickEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Keeps the whole history of one prequential pass for the offline report: a {@link StepRecord}
 * per analysed step and, with a chosen field, its per-category conflict. Unlike the live
 * {@link dev.streamfm.analysis.AnalysisTracker}, nothing is forgotten.
 */
public final class AnalysisRecorder {

    private final List<StepRecord> records = new ArrayList<>();
    private final Optional<CategoryConflicts> categories;

    public AnalysisRecorder(Optional<CategoryConflicts> categories) {
        this.categories = categories;
    }

    /**
     * One trained batch.
     *
     * @param batch    the batch's events, in the order the model saw them
     * @param examples examples trained so far, this batch included
     * @param auc      online AUC of the evaluator's rolling window after this batch
     * @param logloss  online log loss of that window
     */
    public void onBatch(List<ClickEvent> batch, TrainResult result, long examples, double auc, double logloss) {
        categories.ifPresent(c -> c.count(batch));
        result.analysis().ifPresent(a -> {
            AnalysedStep step = AnalysedStep.of(a);
            records.add(StepRecord.of(step, examples, auc, logloss));
            categories.ifPresent(c -> a.towers().ifPresent(t -> c.add(batch, t)));
        });
    }

    public List<StepRecord> records() {
        return List.copyOf(records);
    }

    public Optional<CategoryConflicts> categories() {
        return categories;
    }
}
