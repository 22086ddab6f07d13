package dev.streamfm.stream;

import dev.streamfm.evaluation.Metrics;
import dev.streamfm.model.TrainResult;
import dev.streamfm.schema.LabeledExample;

import java.util.List;

/** What the trainer reports as it goes: metrics in the service, assertions in tests. */
public interface TrainingObserver {

    /** A live (not replayed) training step. */
    void onStep(List<LabeledExample> examples, float[] labels, TrainResult result, double seconds);

    /**
     * A checkpoint was published.
     *
     * @param online the progressive-validation metrics over the trainer's rolling window, as the
     *               checkpoint's blocks report them
     */
    void onCheckpoint(long step, int blocks, Metrics online);

    void onModelVersion(long version);
}
