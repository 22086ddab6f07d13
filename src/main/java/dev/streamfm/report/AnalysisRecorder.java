package dev.streamfm.report;

import dev.streamfm.analysis.AnalysedStep;
import dev.streamfm.evaluation.LabeledEvent;
import dev.streamfm.evaluation.Metrics;
import dev.streamfm.evaluation.PrequentialEvaluator;
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
            categories.ifPresent(c -> a.firstPair().ifPresent(t -> c.add(batch, t)));
        });
    }

    /**
     * This recorder as the evaluator's step listener; the online AUC and log loss of a step are
     * those of the last {@code window} examples scored.
     */
    public PrequentialEvaluator.StepListener listener(int window) {
        if (window < 1) {
            throw new IllegalArgumentException("metrics window must be >= 1 example, got " + window);
        }
        return (events, result, scores) -> {
            if (categories.isEmpty() && result.analysis().isEmpty()) {
                return;
            }
            Metrics m = result.analysis().isPresent() ? scores.last(window) : Metrics.EMPTY;
            onBatch(events.stream().map(LabeledEvent::event).toList(), result, scores.size(), m.auc(), m.logloss());
        };
    }

    public List<StepRecord> records() {
        return List.copyOf(records);
    }

    public Optional<CategoryConflicts> categories() {
        return categories;
    }
}
