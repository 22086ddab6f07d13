package dev.streamfm.model;

import dev.streamfm.features.FeatureBatch;
import dev.streamfm.features.FeatureLayout;

import java.util.List;

/**
 * A model that adds to the steps of another ({@link AdmittedModel}, {@link AutoDecoupledModel})
 * and hands it everything else. It owns the inner model: closing it closes that one.
 */
abstract class ForwardingModel implements Model {

    protected final Model tables;

    ForwardingModel(Model tables) {
        this.tables = tables;
    }

    @Override
    public ModelConfig config() {
        return tables.config();
    }

    @Override
    public FeatureLayout layout() {
        return tables.layout();
    }

    @Override
    public long step() {
        return tables.step();
    }

    @Override
    public float[] predict(FeatureBatch batch) {
        return tables.predict(batch);
    }

    @Override
    public ModelState exportState() {
        return tables.exportState();
    }

    @Override
    public void importState(ModelState state) {
        tables.importState(state);
    }

    @Override
    public List<VariableInfo> variables() {
        return tables.variables();
    }

    @Override
    public float[] readRows(String variable, int[] rows) {
        return tables.readRows(variable, rows);
    }

    @Override
    public void writeRows(String variable, int[] rows, float[] values) {
        tables.writeRows(variable, rows, values);
    }

    @Override
    public void resetRows(int[] rows) {
        tables.resetRows(rows);
    }

    @Override
    public void setStep(long step) {
        tables.setStep(step);
    }

    /** Synchronized: a subclass's synchronized step finishes before the tables are closed. */
    @Override
    public synchronized void close() {
        tables.close();
    }
}
