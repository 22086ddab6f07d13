package dev.streamfm.model;

import dev.streamfm.features.FeatureBatch;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A model whose ids reach the tables through {@link RowAdmission} (README, "Feature admission and
 * expiry"): batches are mapped from ids to rows before the tables see them, rows taken back are
 * initialised again before the step that hands them out, and the admission state travels with
 * the variables, so checkpoints, model blocks and exact replay carry it like any table.
 */
final class AdmittedModel extends ForwardingModel {

    private final RowAdmission admission;

    AdmittedModel(Model tables) {
        super(tables);
        this.admission = new RowAdmission(tables.config().admission(), tables.layout());
    }

    @Override
    public float[] predict(FeatureBatch batch) {
        return tables.predict(admission.rowsOf(batch));
    }

    @Override
    public synchronized TrainResult trainStep(FeatureBatch batch, float[] labels, AnalysisLevel analysis) {
        // Checked here too: admission counts the sightings before the tables would reject the step.
        if (batch.size() == 0 || labels.length != batch.size()) {
            throw new IllegalArgumentException(batch.size() == 0 ? "cannot train on an empty batch"
                    : batch.size() + " examples but " + labels.length + " labels");
        }
        RowAdmission.Step mapped = admission.admit(batch);
        tables.resetRows(mapped.resetRows());
        TrainResult r = tables.trainStep(mapped.batch(), labels, analysis);
        return new TrainResult(r.predictions(), r.loss(), r.analysis(), mapped.changedRows(),
                Optional.of(mapped.counts()));
    }

    @Override
    public synchronized ModelState exportState() {
        ModelState state = tables.exportState();
        List<VariableValue> values = new ArrayList<>(state.variables());
        values.addAll(admission.export());
        return new ModelState(state.step(), values);
    }

    @Override
    public synchronized void importState(ModelState state) {
        admission.checkImport(state);
        tables.importState(state);
        admission.importState(state);
    }

    @Override
    public List<VariableInfo> variables() {
        List<VariableInfo> all = new ArrayList<>(tables.variables());
        all.addAll(admission.variables());
        return all;
    }

    @Override
    public float[] readRows(String variable, int[] rows) {
        if (admission.owns(variable)) {
            synchronized (this) {
                return admission.readRows(variable, rows);
            }
        }
        return tables.readRows(variable, rows);
    }

    @Override
    public synchronized void writeRows(String variable, int[] rows, float[] values) {
        if (admission.owns(variable)) {
            admission.writeRows(variable, rows, values);
        } else {
            tables.writeRows(variable, rows, values);
        }
    }
}
