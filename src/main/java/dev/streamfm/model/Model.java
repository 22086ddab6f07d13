package dev.streamfm.model;

import dev.streamfm.features.FeatureBatch;
import dev.streamfm.features.FeatureLayout;

import java.util.List;

/**
 * A click-through-rate model that learns online. Implementations own native memory (a
 * TensorFlow graph and session), so close them.
 */
public interface Model extends AutoCloseable {

    ModelConfig config();

    FeatureLayout layout();

    /** Number of training steps applied so far; also the model version. */
    long step();

    /** Click probabilities, one per example; does not change the model. */
    float[] predict(FeatureBatch batch);

    /**
     * One progressive-validation step: predicts with the current parameters, then applies one
     * optimizer update; unless {@code analysis} is OFF, also returns the gradient analysis of this
     * step (without layer statistics at CONFLICTS).
     */
    TrainResult trainStep(FeatureBatch batch, float[] labels, AnalysisLevel analysis);

    default TrainResult trainStep(FeatureBatch batch, float[] labels) {
        return trainStep(batch, labels, AnalysisLevel.OFF);
    }

    /** Every variable and optimizer slot, with the step. */
    ModelState exportState();

    /** Replaces every variable and slot and the step; the state must come from the same config and layout. */
    void importState(ModelState state);

    /** Names, shapes and addressing of the variables exportState() returns. */
    List<VariableInfo> variables();

    /** Elements of every variable but the optimizer slots. */
    default long parameterCount() {
        return variables().stream().filter(v -> !v.optimizerSlot()).mapToLong(VariableInfo::elements).sum();
    }

    /**
     * Rows (first-dimension slices) of any variable, row-major; a scalar has one row. Tables are
     * read only where asked, which is how checkpoints move only changed blocks.
     */
    float[] readRows(String variable, int[] rows);

    /** Overwrites rows (first-dimension slices) of any variable. */
    void writeRows(String variable, int[] rows, float[] values);

    /**
     * Initialises table rows again, in every row-addressable variable and its optimizer slots, as a
     * new model has them; random values are drawn from the seed and the current step, so a replay
     * repeats them.
     */
    void resetRows(int[] rows);

    /** Sets the step (model version) without touching variables, after rows were written one by one. */
    void setStep(long step);

    @Override
    void close();
}
