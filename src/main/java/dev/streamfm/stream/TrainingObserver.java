package dev.streamfm.stream;

import dev.streamfm.model.TrainResult;
import dev.streamfm.schema.LabeledExample;

import java.util.List;

/** What the trainer reports as it goes: metrics in the service, assertions in tests. */
public interface TrainingObserver {

    /** A live (not replayed) training step. */
    void onStep(List<LabeledExample> examples, float[] labels, TrainResult result, double seconds);

    void onCheckpoint(long step, int blocks);

    void onModelVersion(long version);
}
