package dev.streamfm.model.tf;

import dev.streamfm.analysis.StepAnalysis;
import dev.streamfm.features.FeatureBatch;
import dev.streamfm.features.FeatureLayout;
import dev.streamfm.model.AnalysisLevel;
import dev.streamfm.model.Model;
import dev.streamfm.model.ModelConfig;
import dev.streamfm.model.ModelState;
import dev.streamfm.model.ModelUse;
import dev.streamfm.model.TrainResult;
import dev.streamfm.model.VariableInfo;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link Model} in TensorFlow graph mode: owns one Graph and one Session, built once at
 * construction (see {@link ModelGraphBuilder} for the variants and variable names).
 *
 * <p>A model created for {@link ModelUse#SCORING} never initialises its optimizer slots and refuses
 * training steps, probes, export and row resets.
 *
 * <p>Thread safety: steps, probes, imports and row writes are serialised. {@link #predict} and
 * {@link #readRows} take no lock (a session run is thread-safe), so a scorer thread can predict
 * while another thread trains; a prediction that overlaps a step may see some parameters from
 * before that step's update and some from after it.
 */
public final class TfModel implements Model {

    private final ModelConfig config;
    private final FeatureLayout layout;
    private final Graph graph;
    private final Session session;
    private final ModelGraph model;
    private final ModelUse use;
    private long step;

    public TfModel(ModelConfig config, FeatureLayout layout) {
        this(config, layout, ModelUse.TRAINING);
    }

    public TfModel(ModelConfig config, FeatureLayout layout, ModelUse use) {
        checkLayout(layout);
        this.config = config;
        this.layout = layout;
        this.use = use;
        this.graph = new Graph();
        Session created = null;
        try {
            this.model = ModelGraphBuilder.build(graph, config, layout);
            created = new Session(graph, SessionConfig.defaults());
            created.initialize();
            if (use == ModelUse.TRAINING) {
                model.variables().initializeSlots(created);
            }
            this.session = created;
        } catch (RuntimeException e) {
            if (created != null) {
                created.close();
            }
            graph.close();
            throw e;
        }
    }

    @Override
    public ModelConfig config() {
        return config;
    }

    @Override
    public FeatureLayout layout() {
        return layout;
    }

    @Override
    public synchronized long step() {
        return step;
    }

    @Override
    public float[] predict(FeatureBatch batch) {
        checkBatch(batch);
        if (batch.size() == 0) {
            return new float[0];
        }
        try (BatchFeed feed = BatchFeed.features(model.inputs(), batch);
             Result r = feed.feed(session.runner()).fetch(model.probability()).run()) {
            return Tensors.floats(r.get(0));
        }
    }

    @Override
    public synchronized TrainResult trainStep(FeatureBatch batch, float[] labels, AnalysisLevel analysis) {
        requireTraining("train");
        checkBatch(batch);
        checkLabels(batch, labels);
        try (BatchFeed feed = BatchFeed.training(model.inputs(), batch, labels, step)) {
            Session.Runner runner = feed.feed(session.runner())
                    .fetch(model.probability()).fetch(model.loss()).addTarget(model.train());
            model.analysis().fetch(runner, analysis);
            try (Result r = runner.run()) {
                Optional<StepAnalysis> analysed = analysis.any()
                        ? Optional.of(model.analysis().read(r, 2, analysis, step, batch.size(), layout.fieldNames()))
                        : Optional.empty();
                TrainResult result = new TrainResult(Tensors.floats(r.get(0)), Tensors.scalarFloat(r.get(1)), analysed,
                        batch.rows(), Optional.empty());
                step++;
                return result;
            }
        }
    }

    /**
     * Loss and gradients of {@code batch} at the current parameters, without updating anything
     * (batch-norm moving averages included). Dropout, if configured, uses the mask of the current step.
     */
    public synchronized GradientProbe probe(FeatureBatch batch, float[] labels) {
        requireTraining("probe gradients");
        checkBatch(batch);
        checkLabels(batch, labels);
        try (BatchFeed feed = BatchFeed.training(model.inputs(), batch, labels, step)) {
            Session.Runner runner = feed.feed(session.runner());
            FetchList fetches = new FetchList(runner);
            int loss = fetches.add(model.loss());
            int objective = fetches.add(model.objective());
            int logits = fetches.add(model.trainLogit());
            int rows = fetches.add(model.touchedRows());
            Map<String, Integer> gradients = new LinkedHashMap<>();
            model.parameters().forEach(p -> gradients.put(p.name(), fetches.add(p.gradient())));
            Map<String, Integer> outputs = new LinkedHashMap<>();
            Map<String, Integer> outputGradients = new LinkedHashMap<>();
            for (FieldPath p : model.fieldPaths()) {
                outputs.put(p.name(), fetches.add(p.output()));
                outputGradients.put(p.name(), fetches.add(p.gradient()));
            }
            try (Result r = runner.run()) {
                return new GradientProbe(Tensors.scalarFloat(r.get(loss)), Tensors.scalarFloat(r.get(objective)),
                        Tensors.floats(r.get(logits)), Tensors.ints(r.get(rows)), read(r, gradients), read(r, outputs),
                        read(r, outputGradients));
            }
        }
    }

    private static Map<String, float[]> read(Result result, Map<String, Integer> indices) {
        Map<String, float[]> out = new LinkedHashMap<>();
        indices.forEach((name, i) -> out.put(name, Tensors.floats(result.get(i))));
        return out;
    }

    @Override
    public synchronized ModelState exportState() {
        requireTraining("export its state");
        return model.variables().export(session, step);
    }

    /** A scoring model takes the state's parameters and leaves its optimizer slots out. */
    @Override
    public synchronized void importState(ModelState state) {
        model.variables().restore(session, state, use == ModelUse.TRAINING);
        step = state.step();
    }

    @Override
    public List<VariableInfo> variables() {
        return model.variables().infos();
    }

    @Override
    public float[] readRows(String variable, int[] rows) {
        return model.variables().readRows(session, variable, rows);
    }

    @Override
    public synchronized void writeRows(String variable, int[] rows, float[] values) {
        model.variables().writeRows(session, variable, rows, values);
    }

    @Override
    public synchronized void resetRows(int[] rows) {
        requireTraining("reset rows");
        model.variables().resetRows(session, rows, step);
    }

    @Override
    public synchronized void setStep(long step) {
        if (step < 0) {
            throw new IllegalArgumentException("step must be >= 0, got " + step);
        }
        this.step = step;
    }

    @Override
    public synchronized void close() {
        session.close();
        graph.close();
    }

    private void requireTraining(String what) {
        if (use != ModelUse.TRAINING) {
            throw new IllegalStateException("a model created for " + use + " holds no optimizer state and cannot "
                    + what + "; create it for " + ModelUse.TRAINING);
        }
    }

    private static void checkLayout(FeatureLayout layout) {
        if (layout.fields() == 0) {
            throw new IllegalArgumentException("feature layout has no fields; define at least one field");
        }
        for (int s = 0; s < layout.slots(); s++) {
            int f = layout.fieldOfSlot()[s];
            if (f < 0 || f >= layout.fields()) {
                throw new IllegalArgumentException("feature layout: slot " + s + " belongs to field " + f
                        + ", but there are " + layout.fields() + " fields");
            }
        }
        if (layout.totalRows() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("feature layout has " + layout.totalRows()
                    + " table rows; at most " + Integer.MAX_VALUE + " are addressable, reduce the buckets");
        }
    }

    private void checkBatch(FeatureBatch batch) {
        if (batch.slots() != layout.slots()) {
            throw new IllegalArgumentException("batch has " + batch.slots() + " slots per example, the model's layout "
                    + layout.slots());
        }
        long rows = layout.totalRows();
        for (int r : batch.rows()) {
            if (r < 0 || r >= rows) {
                throw new IllegalArgumentException("batch row " + r + " is outside the table (0.." + (rows - 1) + ")");
            }
        }
    }

    private static void checkLabels(FeatureBatch batch, float[] labels) {
        if (batch.size() == 0) {
            throw new IllegalArgumentException("cannot train on an empty batch");
        }
        if (labels.length != batch.size()) {
            throw new IllegalArgumentException(batch.size() + " examples but " + labels.length + " labels");
        }
    }
}
