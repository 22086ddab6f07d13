package dev.streamfm.stream;

import dev.streamfm.evaluation.Metrics;
import dev.streamfm.evaluation.RollingWindow;
import dev.streamfm.metrics.EvaluationSource;
import dev.streamfm.metrics.StreamfmMetrics;

/**
 * Online AUC / logloss / calibration of the scores actually served, over a rolling window of
 * scored events whose attribution window has closed. Shared by the scorer's stream threads.
 */
final class ServedEvaluation {

    private static final long PUBLISH_EVERY_MS = 1000;

    private final String model;
    private final StreamfmMetrics metrics;
    private final RollingWindow window;
    private final String windowLabel;
    private long lastPublished;

    ServedEvaluation(String model, StreamfmMetrics metrics, int size) {
        this.model = model;
        this.metrics = metrics;
        this.window = new RollingWindow(size);
        this.windowLabel = Integer.toString(size);
    }

    /** Rolling AUC sorts the window, so it is recomputed at most once a second. */
    synchronized void add(double score, int label) {
        window.add((float) score, label);
        long now = System.currentTimeMillis();
        if (now - lastPublished >= PUBLISH_EVERY_MS) {
            lastPublished = now;
            Metrics m = window.metrics();
            metrics.setOnlineMetrics(model, EvaluationSource.SERVED, windowLabel, m.auc(), m.logloss(),
                    m.calibration());
        }
    }
}
