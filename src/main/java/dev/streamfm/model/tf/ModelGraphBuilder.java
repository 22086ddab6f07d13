package dev.streamfm.model.tf;

import dev.streamfm.features.FeatureLayout;
import dev.streamfm.model.LayerKind;
import dev.streamfm.model.ModelConfig;
import dev.streamfm.model.ModelType;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Assembles one model variant from the small builders: the only place that knows which parts a
 * variant has.
 *
 * <p>Tables: "linear" [rows, 1] (first-order weights, kind LINEAR) in every variant; "embedding"
 * [rows, D] (kind EMBEDDING) in FM and DeepFM, read by the FM and the DNN; DEEPFM_DECOUPLED adds
 * "fm_embedding" (kind FM), which only the FM reads, while the DNN keeps "embedding". Dense:
 * "bias" (kind LINEAR), "dnn_i_w/_b[/_gamma/_beta/_moving_mean/_moving_variance]" (DNN),
 * "output_w/_b" (OUTPUT). Optimizer slots are named "variable.adagrad", "variable.adam_m",
 * "variable.adam_v".
 */
final class ModelGraphBuilder {

    private ModelGraphBuilder() {
    }

    static ModelGraph build(Graph graph, ModelConfig config, FeatureLayout layout) {
        Ops tf = Ops.create(graph);
        ModelType type = config.type();
        ModelInputs in = ModelInputs.create(tf, layout.slots());
        VariableIO vars = new VariableIO(tf, config.seed());
        SlotPooling pooling = SlotPooling.of(layout);
        long rows = layout.totalRows();
        int dim = config.embeddingDim();

        Optional<TfVariable> embedding = type.hasFm() ? Optional.of(vars.add("embedding", LayerKind.EMBEDDING, true,
                InitialValue.truncatedNormal(config.initStddev()), rows, dim)) : Optional.empty();
        Optional<TfVariable> fmEmbedding = type == ModelType.DEEPFM_DECOUPLED ? Optional.of(vars.add("fm_embedding",
                LayerKind.FM, true, InitialValue.truncatedNormal(config.initStddev()), rows, dim)) : Optional.empty();
        TfVariable linearTable = vars.add("linear", LayerKind.LINEAR, true, InitialValue.constant(0), rows, 1);
        TfVariable bias = vars.add("bias", LayerKind.LINEAR, false, InitialValue.constant(0), 1);
        Optional<DnnTower> dnn = type.hasDnn()
                ? Optional.of(DnnTower.create(vars, layout.fields() * dim, config.hiddenUnits(), config.batchNorm()))
                : Optional.empty();

        // Forward: every table read, and the field outputs each part of the model reads.
        Optional<EmbeddingLookup> embeddingLookup = embedding.map(t -> EmbeddingLookup.build(tf, t, in, pooling));
        Optional<EmbeddingLookup> fmLookup = fmEmbedding.map(t -> EmbeddingLookup.build(tf, t, in, pooling));
        List<EmbeddingLookup> embeddings = new ArrayList<>();
        embeddingLookup.ifPresent(embeddings::add);
        fmLookup.ifPresent(embeddings::add);
        EmbeddingLookup linear = EmbeddingLookup.build(tf, linearTable, in, pooling);
        List<Operand<TFloat32>> pathOutputs = new ArrayList<>();
        List<String> pathNames = new ArrayList<>();

        Operand<TFloat32> logit = tf.math.add(bias.read(), LinearTerm.build(tf, linear.fields()));
        if (type.hasFm()) {
            // Identity ops split the field embeddings into what the FM and the DNN read, so the
            // gradient each tower sends back can be taken separately.
            EmbeddingLookup fmTable = fmLookup.or(() -> embeddingLookup).orElseThrow();
            Operand<TFloat32> fmInput = tf.withName("fm_input").identity(fmTable.fields());
            logit = tf.math.add(logit, FmTerm.build(tf, fmInput));
            pathNames.add(FieldPath.FM);
            pathOutputs.add(fmInput);
        } else {
            pathNames.add(FieldPath.LINEAR);
            pathOutputs.add(linear.fields());
        }
        Operand<TFloat32> trainLogit = logit;
        Operand<TFloat32> inferenceLogit = logit;
        List<Op> updates = new ArrayList<>();
        if (dnn.isPresent()) {
            Operand<TFloat32> dnnInput = tf.withName("dnn_input").identity(embeddingLookup.orElseThrow().fields());
            StatelessDropout dropout = new StatelessDropout(config.dropout(), config.seed(), in.step());
            trainLogit = tf.math.add(logit, dnn.get().training(tf, dnnInput, dropout, updates));
            inferenceLogit = dnn.get().trainingDiffersFromInference(dropout)
                    ? tf.math.add(logit, dnn.get().inference(tf, dnnInput)) : trainLogit;
            pathNames.add(FieldPath.DNN);
            pathOutputs.add(dnnInput);
        }
        Operand<TFloat32> probability = tf.withName("probability").math.sigmoid(inferenceLogit);
        Operand<TFloat32> loss = Objective.logLoss(tf, trainLogit, in.labels());
        List<EmbeddingLookup> tables = new ArrayList<>(embeddings);
        tables.add(linear);
        Operand<TFloat32> objective = config.l2() > 0
                ? tf.math.add(loss, Objective.rowL2(tf, tables, in, config.l2())) : loss;

        // One addGradients call: gathered table rows, dense reads, and the field outputs.
        List<TfVariable> dense = new ArrayList<>();
        dense.add(bias);
        dnn.ifPresent(d -> dense.addAll(d.trainables()));
        List<Operand<TFloat32>> xs = new ArrayList<>();
        tables.forEach(t -> xs.add(t.rows()));
        dense.forEach(v -> xs.add(v.read()));
        xs.addAll(pathOutputs);
        List<Operand<TFloat32>> grads = gradients(graph, objective, xs);

        TouchedRows touched = TouchedRows.of(tf, in.rows());
        SparseAdagrad adagrad = new SparseAdagrad(tf, vars, config.embeddingLr(), config.initAccumulator());
        DenseAdam adam = new DenseAdam(tf, vars, in.step(), config.denseLr());
        List<ParameterTrace> parameters = new ArrayList<>();
        int g = 0;
        for (EmbeddingLookup t : tables) {
            TfVariable table = t.table();
            Operand<TFloat32> rowGradients = touched.sum(tf, grads.get(g++), table.width());
            Op update = adagrad.apply(tf, table, rowGradients, touched.rows());
            updates.add(update);
            parameters.add(new ParameterTrace(table.name(), table.info().kind(), touched.values(tf, t.rows(), table.width()),
                    rowGradients, tf.withControlDependencies(update).resourceGather(table.handle(), touched.rows(),
                    TFloat32.class)));
        }
        for (TfVariable v : dense) {
            Operand<TFloat32> gradient = grads.get(g++);
            Op update = adam.apply(tf, v, gradient);
            updates.add(update);
            parameters.add(new ParameterTrace(v.name(), v.info().kind(), v.read(), gradient,
                    tf.withControlDependencies(update).readVariableOp(v.handle(), TFloat32.class)));
        }
        List<FieldPath> paths = new ArrayList<>();
        for (int p = 0; p < pathNames.size(); p++) {
            paths.add(new FieldPath(pathNames.get(p), pathOutputs.get(p), grads.get(g++)));
        }
        Op train = tf.withControlDependencies(updates).withName("train").noOp();
        GradientAnalysis analysis = GradientAnalysis.build(tf, in.batchSize(), paths, fmEmbedding.isEmpty(),
                parameters);
        return new ModelGraph(in, vars, probability, trainLogit, loss, objective, train, touched.rows(), parameters,
                paths, analysis);
    }

    private static List<Operand<TFloat32>> gradients(Graph graph, Operand<TFloat32> y, List<Operand<TFloat32>> xs) {
        Output<?>[] x = xs.stream().map(Operand::asOutput).toArray(Output<?>[]::new);
        Output<?>[] dy = graph.addGradients("gradients", new Output<?>[] {y.asOutput()}, x, null);
        List<Operand<TFloat32>> out = new ArrayList<>(dy.length);
        for (Output<?> d : dy) {
            out.add(d.expect(TFloat32.class));
        }
        return out;
    }
}
