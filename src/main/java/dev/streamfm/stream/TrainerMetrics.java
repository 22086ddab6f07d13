package dev.streamfm.stream;

import dev.streamfm.analysis.AnalysisTracker;
import dev.streamfm.evaluation.Metrics;
import dev.streamfm.metrics.EvaluationSource;
import dev.streamfm.metrics.ModelRole;
import dev.streamfm.metrics.StreamfmMetrics;
import dev.streamfm.model.TrainResult;
import dev.streamfm.schema.LabeledExample;

import java.util.List;

/**
 * Turns the trainer's steps into metrics: throughput and step time, online AUC / logloss /
 * calibration of the trainer's progressive validation, and the gradient analysis. Runs on the stream thread only.
 */
final class TrainerMetrics implements TrainingObserver {

    private final String model;
    private final StreamfmMetrics metrics;
    private final AnalysisTracker tracker;
    private final String window;

    TrainerMetrics(String model, StreamfmMetrics metrics, int window, int analysisWindow) {
        this.model = model;
        this.metrics = metrics;
        this.window = Integer.toString(window);
        this.tracker = new AnalysisTracker(analysisWindow);
        tracker.addListener(metrics.analysisListener(model));
    }

    @Override
    public void onStep(List<LabeledExample> examples, float[] labels, TrainResult result, double seconds) {
        metrics.onTrainStep(model, seconds, examples.size());
        result.analysis().ifPresent(tracker::record);
        result.admission().ifPresent(a -> metrics.onAdmission(model, a.admitted(), a.expired(), a.rowsInUse()));
    }

    /** Rolling AUC costs a sort of the window, so it is computed at checkpoints, not every step. */
    @Override
    public void onCheckpoint(long step, int blocks, Metrics m) {
        metrics.setOnlineMetrics(model, EvaluationSource.TRAINER, window, m.auc(), m.logloss(), m.calibration());
    }

    @Override
    public void onModelVersion(long version) {
        metrics.setModelVersion(model, ModelRole.TRAINER, version);
    }
}
