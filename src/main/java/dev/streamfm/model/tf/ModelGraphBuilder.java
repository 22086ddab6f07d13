package dev.streamfm.model.tf;

import dev.streamfm.features.FeatureLayout;
import dev.streamfm.model.LayerKind;
import dev.streamfm.model.ModelConfig;
import dev.streamfm.model.Tower;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * Assembles a model from the small builders: the towers its configuration names (the variants
 * are registered in {@link dev.streamfm.model.ModelType}).
 *
 * <p>Tables: "linear" [rows, 1] (first-order weights, kind LINEAR) in every variant; "embedding"
 * [rows, D] (kind EMBEDDING) in every variant with a tower, read by the FM and the DNN; a decoupled DeepFM adds
 * "fm_embedding" (kind FM), which only the FM reads, while the DNN keeps "embedding". Dense:
 * "bias" [1] (kind LINEAR, updated like a table row), "dnn_i_w/_b[/_gamma/_beta/_moving_mean/_moving_variance]" (DNN),
 * "output_w/_b" (OUTPUT). Optimizer slots are named "table.adagrad" or "table.ftrl_n" and
 * "table.ftrl_z" (see {@link TableOptimizer}), "variable.adam_m", "variable.adam_v".
 */
final class ModelGraphBuilder {

    /** The variables a variant has. */
    private record Parts(Optional<TfVariable> embedding, Optional<TfVariable> fmEmbedding, TfVariable linear,
                         TfVariable bias, Optional<DnnTower> dnn) {
    }

    /**
     * The forward passes: every table read, the field outputs each part reads (named as in
     * {@link FieldPath}), for a shared-table DeepFM the field embeddings both towers read, and the
     * batch-norm moving-average updates of the training forward.
     */
    private record Forward(List<EmbeddingLookup> tables, List<String> pathNames, List<Operand<TFloat32>> pathOutputs,
                           Optional<Operand<TFloat32>> sharedFields, Operand<TFloat32> trainLogit,
                           Operand<TFloat32> inferenceLogit, List<Op> normUpdates) {
    }

    private final Graph graph;
    private final Ops tf;
    private final ModelConfig config;
    private final ModelInputs in;
    private final VariableIO vars;
    private final SlotPooling pooling;
    private final FeatureLayout layout;

    private ModelGraphBuilder(Graph graph, ModelConfig config, FeatureLayout layout) {
        this.graph = graph;
        this.tf = Ops.create(graph);
        this.config = config;
        this.layout = layout;
        this.in = ModelInputs.create(tf, layout.slots());
        this.vars = new VariableIO(tf, config.seed());
        this.pooling = SlotPooling.of(layout);
    }

    static ModelGraph build(Graph graph, ModelConfig config, FeatureLayout layout) {
        return new ModelGraphBuilder(graph, config, layout).build();
    }

    private ModelGraph build() {
        Parts parts = createVariables();
        Forward forward = forward(parts);
        Operand<TFloat32> probability = tf.withName("probability").math.sigmoid(forward.inferenceLogit());
        Operand<TFloat32> loss = Objective.logLoss(tf, forward.trainLogit(), in.labels(), config.feedback());
        Operand<TFloat32> objective = config.l2() > 0
                ? tf.math.add(loss, Objective.rowL2(tf, forward.tables(), in, config.l2())) : loss;

        // One addGradients call: gathered table rows, the bias, dense reads, and the field outputs.
        List<TfVariable> dense = new ArrayList<>();
        parts.dnn().ifPresent(d -> dense.addAll(d.trainables()));
        List<Operand<TFloat32>> xs = new ArrayList<>();
        forward.tables().forEach(t -> xs.add(t.rows()));
        xs.add(parts.bias().read());
        dense.forEach(v -> xs.add(v.read()));
        xs.addAll(forward.pathOutputs());
        forward.sharedFields().ifPresent(xs::add);
        Iterator<Operand<TFloat32>> grads = gradients(objective, xs).iterator();

        TouchedRows touched = TouchedRows.of(tf, in.rows());
        List<Op> updates = new ArrayList<>(forward.normUpdates());
        List<ParameterTrace> parameters = new ArrayList<>();
        TableOptimizer tableOptimizer = TableOptimizer.of(tf, vars, config);
        for (EmbeddingLookup t : forward.tables()) {
            TfVariable table = t.table();
            Operand<TFloat32> rowGradients = perExample(touched.sum(tf, grads.next(), table.width()));
            AppliedUpdate update = tableOptimizer.apply(tf, table, rowGradients, touched.rows());
            updates.add(update.op());
            parameters.add(new ParameterTrace(table.name(), table.info().kind(), update.before(), rowGradients,
                    update.delta()));
        }
        // The bias is the first-order weight of a feature every example has, so it learns like one:
        // per example, with the table optimizer; an LR is then exactly textbook per-example
        // Adagrad / FTRL at batch 1. Under Adam on the mean (lr 0.001) it moved 0.1 in a pass of
        // 100 batches, far from a rare click rate's logit; this is faster but, with the squared
        // summed gradient in the accumulator, still not enough for iPinYou's 1% (README).
        TfVariable bias = parts.bias();
        Operand<TFloat32> biasGradient = perExample(grads.next());
        AppliedUpdate biasUpdate = tableOptimizer.apply(tf, bias, biasGradient, tf.constant(new int[] {0}));
        updates.add(biasUpdate.op());
        parameters.add(new ParameterTrace(bias.name(), bias.info().kind(), biasUpdate.before(), biasGradient,
                biasUpdate.delta()));
        DenseAdam adam = new DenseAdam(tf, vars, in.step(), config.denseLr());
        for (TfVariable v : dense) {
            Operand<TFloat32> gradient = grads.next();
            AppliedUpdate update = adam.apply(tf, v, gradient);
            updates.add(update.op());
            parameters.add(new ParameterTrace(v.name(), v.info().kind(), update.before(), gradient, update.delta()));
        }
        Op train = tf.withControlDependencies(updates).withName("train").noOp();

        List<FieldPath> paths = new ArrayList<>();
        for (int p = 0; p < forward.pathNames().size(); p++) {
            paths.add(new FieldPath(forward.pathNames().get(p), forward.pathOutputs().get(p), grads.next()));
        }
        Optional<FieldPath> sharedPath = forward.sharedFields().map(f -> new FieldPath(FieldPath.SHARED, f, grads.next()));
        GradientAnalysis analysis = GradientAnalysis.build(tf, in.batchSize(), paths, sharedPath, parameters);
        return new ModelGraph(in, vars, probability, forward.trainLogit(), loss, objective, train, touched.rows(),
                parameters, paths, analysis);
    }

    private Parts createVariables() {
        long rows = layout.totalRows();
        int dim = config.embeddingDim();
        Optional<TfVariable> embedding = config.towers().isEmpty() ? Optional.empty() : Optional.of(vars.add(
                "embedding", LayerKind.EMBEDDING, true, InitialValue.truncatedNormal(config.initStddev()), rows, dim));
        Optional<TfVariable> fmEmbedding = config.type().decoupled() ? Optional.of(vars.add("fm_embedding",
                LayerKind.FM, true, InitialValue.truncatedNormal(config.initStddev()), rows, dim)) : Optional.empty();
        TfVariable linear = vars.add("linear", LayerKind.LINEAR, true, InitialValue.constant(0), rows, 1);
        TfVariable bias = vars.add("bias", LayerKind.LINEAR, false, InitialValue.constant(0), 1);
        Optional<DnnTower> dnn = config.has(Tower.DNN)
                ? Optional.of(DnnTower.create(vars, layout.fields() * dim, config.hiddenUnits(), config.batchNorm()))
                : Optional.empty();
        return new Parts(embedding, fmEmbedding, linear, bias, dnn);
    }

    private Forward forward(Parts parts) {
        Optional<EmbeddingLookup> embedding = parts.embedding().map(t -> EmbeddingLookup.build(tf, t, in, pooling));
        Optional<EmbeddingLookup> fmEmbedding = parts.fmEmbedding().map(t -> EmbeddingLookup.build(tf, t, in, pooling));
        EmbeddingLookup linear = EmbeddingLookup.build(tf, parts.linear(), in, pooling);
        List<EmbeddingLookup> tables = new ArrayList<>();
        embedding.ifPresent(tables::add);
        fmEmbedding.ifPresent(tables::add);
        tables.add(linear);
        List<String> pathNames = new ArrayList<>();
        List<Operand<TFloat32>> pathOutputs = new ArrayList<>();

        Operand<TFloat32> logit = tf.math.add(parts.bias().read(), LinearTerm.build(tf, linear.fields()));
        if (embedding.isEmpty()) {
            pathNames.add(FieldPath.LINEAR);
            pathOutputs.add(linear.fields());
        }
        if (config.has(Tower.FM)) {
            // Identity ops split the field embeddings into what the FM and the DNN read, so the
            // gradient each tower sends back can be taken separately.
            Operand<TFloat32> fmInput = tf.withName("fm_input").identity(fmEmbedding.orElse(embedding.get()).fields());
            logit = tf.math.add(logit, FmTerm.build(tf, fmInput));
            pathNames.add(FieldPath.FM);
            pathOutputs.add(fmInput);
        }
        Operand<TFloat32> trainLogit = logit;
        Operand<TFloat32> inferenceLogit = logit;
        List<Op> normUpdates = new ArrayList<>();
        if (parts.dnn().isPresent()) {
            DnnTower dnn = parts.dnn().get();
            Operand<TFloat32> dnnInput = tf.withName("dnn_input").identity(embedding.orElseThrow().fields());
            StatelessDropout dropout = new StatelessDropout(config.dropout(), config.seed(), in.step());
            trainLogit = tf.math.add(logit, dnn.training(tf, dnnInput, dropout, normUpdates));
            inferenceLogit = dnn.trainingDiffersFromInference(dropout)
                    ? tf.math.add(logit, dnn.inference(tf, dnnInput)) : trainLogit;
            pathNames.add(FieldPath.DNN);
            pathOutputs.add(dnnInput);
        }
        // With one table read by both towers, the gradient at its field embeddings is the sum of
        // the two tower gradients, already formed by backprop: field importance uses it.
        Optional<Operand<TFloat32>> sharedFields = config.towers().size() > 1 && !config.type().decoupled()
                ? embedding.map(EmbeddingLookup::fields) : Optional.empty();
        return new Forward(tables, pathNames, pathOutputs, sharedFields, trainLogit, inferenceLogit, normUpdates);
    }

    /**
     * Table rows learn per example: the gradient of the objective summed over the batch, B times
     * that of the mean the graph differentiates (which Adam keeps for the dense layers). Under the
     * mean, a row seen once in a batch of 256 got 1/256 of its example's gradient, and rare ids,
     * most of a real log's, barely moved in one pass.
     */
    private Operand<TFloat32> perExample(Operand<TFloat32> meanGradient) {
        return tf.math.mul(meanGradient, in.batchSize());
    }

    private List<Operand<TFloat32>> gradients(Operand<TFloat32> y, List<Operand<TFloat32>> xs) {
        Output<?>[] x = xs.stream().map(Operand::asOutput).toArray(Output<?>[]::new);
        Output<?>[] dy = graph.addGradients("gradients", new Output<?>[] {y.asOutput()}, x, null);
        List<Operand<TFloat32>> out = new ArrayList<>(dy.length);
        for (Output<?> d : dy) {
            out.add(d.expect(TFloat32.class));
        }
        return out;
    }
}
