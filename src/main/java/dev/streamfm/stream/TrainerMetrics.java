package dev.streamfm.stream;

import dev.streamfm.analysis.AnalysisTracker;
import dev.streamfm.evaluation.Metrics;
import dev.streamfm.evaluation.RollingWindow;
import dev.streamfm.metrics.EvaluationSource;
import dev.streamfm.metrics.ModelRole;
import dev.streamfm.metrics.StreamfmMetrics;
import dev.streamfm.model.TrainResult;
import dev.streamfm.schema.LabeledExample;

import java.util.List;

/**
 * Turns the trainer's steps into metrics: throughput and step time, online AUC / logloss /
 * calibration of the trainer's progressive validation and of the scores actually served, and
 * the gradient analysis. Runs on the stream thread only.
 */
final class TrainerMetrics implements TrainingObserver {

    private final String model;
    private final StreamfmMetrics metrics;
    private final RollingWindow trainer;
    private final RollingWindow served;
    private final AnalysisTracker tracker;
    private final String window;

    TrainerMetrics(String model, StreamfmMetrics metrics, int window, int analysisWindow) {
        this.model = model;
        this.metrics = metrics;
        this.trainer = new RollingWindow(window);
        this.served = new RollingWindow(window);
        this.window = Integer.toString(window);
        this.tracker = new AnalysisTracker(analysisWindow);
        tracker.addListener(metrics.analysisListener(model));
    }

    @Override
    public void onStep(List<LabeledExample> examples, float[] labels, TrainResult result, double seconds) {
        metrics.onTrainStep(model, seconds, examples.size());
        trainer.addAll(result.predictions(), labels);
        for (int i = 0; i < examples.size(); i++) {
            Double s = examples.get(i).getServedScore();
            if (s != null) {
                served.add(s.floatValue(), (int) labels[i]);
            }
        }
        result.analysis().ifPresent(tracker::record);
    }

    private void publish(EvaluationSource source, Metrics m) {
        metrics.setOnlineMetrics(model, source, window, m.auc(), m.logloss(), m.calibration());
    }

    /** Rolling AUC costs a sort of the window, so it is published at checkpoints, not every step. */
    @Override
    public void onCheckpoint(long step, int blocks) {
        publish(EvaluationSource.TRAINER, trainer.metrics());
        if (served.size() > 0) {
            publish(EvaluationSource.SERVED, served.metrics());
        }
    }

    @Override
    public void onModelVersion(long version) {
        metrics.setModelVersion(model, ModelRole.TRAINER, version);
    }
}
