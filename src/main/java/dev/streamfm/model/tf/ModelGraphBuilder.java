package dev.streamfm.model.tf;

import dev.streamfm.features.FeatureLayout;
import dev.streamfm.features.FieldGroup;
import dev.streamfm.model.AutoDecoupledModel;
import dev.streamfm.model.EmbeddingSharing;
import dev.streamfm.model.LayerKind;
import dev.streamfm.model.ModelConfig;
import dev.streamfm.model.SquaredGradients;
import dev.streamfm.model.Tower;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Assembles a model from the small builders: the towers its configuration names (the variants
 * are registered in {@link dev.streamfm.model.ModelType}), each reading the fields of its feature
 * group.
 *
 * <p>Tables: "linear" [rows, 1] (first-order weights, kind LINEAR) in every variant; "embedding"
 * [rows, D] (kind EMBEDDING) in every variant with a tower, read by every tower; in a decoupled
 * variant only the DNN (or, without one, the first tower) reads it and each other tower reads its
 * own "fm_embedding", "cin_embedding" or "attention_embedding" (kind of the tower); under automatic
 * decoupling each other tower reads, field by field, the shared rows or its own as
 * "decoupling.fields" [F, 3] (see {@link AutoDecoupledModel}) says. Dense: "bias"
 * [1] (kind LINEAR, updated like a table row), then each tower's variables (see its class).
 * What the table optimizer's accumulator adds, per table kind, is {@link SquaredGradients}'s
 * choice: the square of the row's summed gradient, or the sum of its per-example squares (README,
 * "Defaults and why").
 * Optimizer slots are named "table.adagrad" or "table.ftrl_n" and "table.ftrl_z" (see
 * {@link TableOptimizer}), "variable.adam_m", "variable.adam_v".
 */
final class ModelGraphBuilder {

    /** The variables of a model: its tables, which table each tower reads, and the towers. */
    private record Parts(List<TfVariable> embeddings, Map<Tower, TfVariable> tableOf, TfVariable linear,
                         TfVariable bias, Map<Tower, InteractionTower> towers, Optional<TfVariable> decoupling) {
    }

    /**
     * The forward passes: every table read, the field outputs each part reads (named as in
     * {@link FieldPath}), for towers sharing one table the field embeddings they all read, and the
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
        parts.towers().values().forEach(t -> dense.addAll(t.trainables()));
        List<Operand<TFloat32>> xs = new ArrayList<>();
        forward.tables().forEach(t -> xs.add(t.rows()));
        xs.add(parts.bias().read());
        dense.forEach(v -> xs.add(v.read()));
        xs.addAll(forward.pathOutputs());
        forward.sharedFields().ifPresent(xs::add);
        List<Operand<TFloat32>> all = gradients("gradients", List.of(objective), xs, null);
        int pathsAt = forward.tables().size() + 1 + dense.size();
        List<Operand<TFloat32>> pathGradients = all.subList(pathsAt, pathsAt + forward.pathNames().size());
        Iterator<Operand<TFloat32>> grads = all.iterator();

        TouchedRows touched = TouchedRows.of(tf, in.rows());
        List<Op> updates = new ArrayList<>(forward.normUpdates());
        List<ParameterTrace> parameters = new ArrayList<>();
        TableOptimizer tableOptimizer = TableOptimizer.of(tf, vars, config);
        SquaredGradients squares = config.squaredGradients();
        for (EmbeddingLookup t : forward.tables()) {
            TfVariable table = t.table();
            Operand<TFloat32> occurrences = grads.next();
            Operand<TFloat32> summed = touched.sum(tf, occurrences, table.width());
            if (config.sharing() == EmbeddingSharing.PCGRAD && t == forward.tables().get(0)) {
                summed = tf.math.add(summed, pcgradCorrection(t, pathGradients, touched));
            }
            Operand<TFloat32> rowGradients = perExample(summed);
            // Per-example squares: each occurrence's gradient (one example's, in one slot) squared,
            // then summed onto its row. Under PCGrad they are those of the gradients before the
            // projection, which exists only for the rows' sums.
            AppliedUpdate update = squares.perExample(table.info().kind())
                    ? tableOptimizer.apply(tf, table, rowGradients,
                    touched.sum(tf, tf.math.square(perExample(occurrences)), table.width()), touched.rows())
                    : tableOptimizer.apply(tf, table, rowGradients, touched.rows());
            updates.add(update.op());
            parameters.add(new ParameterTrace(table.name(), table.info().kind(), update.before(), rowGradients,
                    update.delta()));
        }
        // The bias is the first-order weight of a feature every example has, so it learns like one:
        // per example, with the table optimizer; an LR is then exactly textbook per-example
        // Adagrad / FTRL at batch 1. Under Adam on the mean (lr 0.001) it moved 0.1 in a pass of
        // 100 batches, far from a rare click rate's logit; this is faster but, with the squared
        // summed gradient in the accumulator (squared gradients "batch"), still not enough for
        // iPinYou's 1% (README). Its per-example gradients are those of the logit, taken on their
        // own so that a model accumulating the summed square builds the graph it always had.
        TfVariable bias = parts.bias();
        Operand<TFloat32> biasGradient = perExample(grads.next());
        Operand<TInt32> biasRow = tf.constant(new int[] {0});
        AppliedUpdate biasUpdate = squares.perExample(bias.info().kind())
                ? tableOptimizer.apply(tf, bias, biasGradient, biasSquares(objective, forward.trainLogit()), biasRow)
                : tableOptimizer.apply(tf, bias, biasGradient, biasRow);
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
        GradientAnalysis analysis = GradientAnalysis.build(tf, paths, sharedPath, parameters);
        return new ModelGraph(in, vars, probability, forward.trainLogit(), loss, objective, train, touched.rows(),
                parameters, paths, analysis);
    }

    private Parts createVariables() {
        long rows = layout.totalRows();
        int dim = config.embeddingDim();
        List<Tower> towers = List.copyOf(config.towers());
        List<TfVariable> embeddings = new ArrayList<>();
        Map<Tower, TfVariable> tableOf = new EnumMap<>(Tower.class);
        if (!towers.isEmpty()) {
            TfVariable shared = vars.add("embedding", LayerKind.EMBEDDING, true,
                    InitialValue.truncatedNormal(config.initStddev()), rows, dim);
            embeddings.add(shared);
            Tower sharedReader = config.has(Tower.DNN) ? Tower.DNN : towers.get(0);
            for (Tower t : towers) {
                TfVariable table = shared;
                if (config.sharing().separateTables() && t != sharedReader) {
                    table = vars.add(t.label() + "_embedding", t.kind(), true,
                            InitialValue.truncatedNormal(config.initStddev()), rows, dim);
                    embeddings.add(table);
                }
                tableOf.put(t, table);
            }
        }
        TfVariable linear = vars.add("linear", LayerKind.LINEAR, true, InitialValue.constant(0), rows, 1);
        TfVariable bias = vars.add("bias", LayerKind.LINEAR, false, InitialValue.constant(0), 1);
        Optional<TfVariable> decoupling = config.sharing() == EmbeddingSharing.AUTO
                ? Optional.of(vars.add(AutoDecoupledModel.STATE, LayerKind.EMBEDDING, false, InitialValue.constant(0),
                layout.fields(), AutoDecoupledModel.STATE_WIDTH))
                : Optional.empty();
        Map<Tower, InteractionTower> built = new EnumMap<>(Tower.class);
        for (Tower t : towers) {
            built.put(t, InteractionTower.create(t, vars, config, layout.groups().fields(t.group()).length));
        }
        return new Parts(embeddings, tableOf, linear, bias, built, decoupling);
    }

    private Forward forward(Parts parts) {
        Map<TfVariable, EmbeddingLookup> lookups = new LinkedHashMap<>();
        parts.embeddings().forEach(t -> lookups.put(t, EmbeddingLookup.build(tf, t, in, pooling)));
        EmbeddingLookup linear = EmbeddingLookup.build(tf, parts.linear(), in, pooling);
        List<EmbeddingLookup> tables = new ArrayList<>(lookups.values());
        tables.add(linear);
        List<String> pathNames = new ArrayList<>();
        List<Operand<TFloat32>> pathOutputs = new ArrayList<>();

        Operand<TFloat32> logit = tf.math.add(parts.bias().read(),
                LinearTerm.build(tf, group(linear.fields(), FieldGroup.WIDE)));
        if (parts.towers().isEmpty()) {
            pathNames.add(FieldPath.LINEAR);
            pathOutputs.add(linear.fields());
        }
        List<Op> normUpdates = new ArrayList<>();
        StatelessDropout dropout = new StatelessDropout(config.dropout(), config.seed(), in.step());
        Map<Tower, Operand<TFloat32>> towerFields = new EnumMap<>(Tower.class);
        Optional<Operand<TFloat32>> decoupled = parts.decoupling().map(this::decoupledFields);
        for (Tower t : parts.towers().keySet()) {
            Operand<TFloat32> fields = lookups.get(parts.tableOf().get(t)).fields();
            if (decoupled.isPresent() && parts.tableOf().get(t) != parts.embeddings().get(0)) {
                // Shared rows for a field still coupled, the tower's own for one decoupled: the
                // gradient goes to the rows the tower read. (1 - m) * shared + m * own, not
                // shared + m * (own - shared), whose shared gradient g - g of a decoupled field
                // summed to a rounding residue that broke bitwise replay.
                Operand<TFloat32> shared = lookups.get(parts.embeddings().get(0)).fields();
                fields = tf.math.add(tf.math.mul(tf.math.sub(tf.constant(1f), decoupled.get()), shared),
                        tf.math.mul(decoupled.get(), fields));
            }
            // An Identity per tower splits the field embeddings into what each tower reads, so the
            // gradient each tower sends back can be taken separately.
            Operand<TFloat32> input = tf.withName(t.label() + "_input").identity(fields);
            towerFields.put(t, group(input, t.group()));
            pathNames.add(t.label());
            pathOutputs.add(input);
        }
        // Towers whose training and inference forwards are one op chain first, so both logits share it.
        for (Map.Entry<Tower, InteractionTower> e : parts.towers().entrySet()) {
            if (!e.getValue().trainingDiffersFromInference(dropout)) {
                logit = tf.math.add(logit, e.getValue().inference(tf, towerFields.get(e.getKey())));
            }
        }
        Operand<TFloat32> trainLogit = logit;
        Operand<TFloat32> inferenceLogit = logit;
        for (Map.Entry<Tower, InteractionTower> e : parts.towers().entrySet()) {
            InteractionTower tower = e.getValue();
            if (tower.trainingDiffersFromInference(dropout)) {
                Operand<TFloat32> fields = towerFields.get(e.getKey());
                trainLogit = tf.math.add(trainLogit, tower.training(tf, fields, dropout, normUpdates));
                inferenceLogit = tf.math.add(inferenceLogit, tower.inference(tf, fields));
            }
        }
        // With one table read by several towers, the gradient at its field embeddings is the sum of
        // the tower gradients, already formed by backprop: field importance uses it.
        // Under automatic decoupling the shared table is what the analysis watches until fields part.
        Optional<Operand<TFloat32>> sharedFields = parts.towers().size() > 1
                && config.sharing() != EmbeddingSharing.DECOUPLED
                ? Optional.of(lookups.values().iterator().next().fields()) : Optional.empty();
        return new Forward(tables, pathNames, pathOutputs, sharedFields, trainLogit, inferenceLogit, normUpdates);
    }

    /** Which fields are decoupled, [1, F, 1] of 0 or 1, from the first column of the decoupling state. */
    private Operand<TFloat32> decoupledFields(TfVariable state) {
        Operand<TFloat32> column = tf.slice(state.read(), tf.constant(new int[] {0, AutoDecoupledModel.DECOUPLED}),
                tf.constant(new int[] {layout.fields(), 1}));
        return tf.reshape(column, tf.constant(new int[] {1, layout.fields(), 1}));
    }

    /** The fields of {@code group} out of all fields [B, F, W]; all of them without a gather. */
    private Operand<TFloat32> group(Operand<TFloat32> fields, FieldGroup group) {
        if (layout.groups().hasEveryField(group, layout.fields())) {
            return fields;
        }
        return tf.gather(fields, tf.constant(layout.groups().fields(group)), tf.constant(1));
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

    /**
     * The sum over the batch of the bias's squared per-example gradients, [1]: the bias adds to
     * every logit, so an example's gradient at it is its logit's (times B, as in
     * {@link #perExample}).
     */
    private Operand<TFloat32> biasSquares(Operand<TFloat32> objective, Operand<TFloat32> logit) {
        Operand<TFloat32> perLogit = perExample(gradients("bias_squares", List.of(objective), List.of(logit), null)
                .get(0));
        return tf.reshape(tf.sum(tf.math.square(perLogit), tf.constant(0)), tf.constant(new int[] {1}));
    }

    /**
     * What PCGrad changes in the shared table's summed row gradients [U, W]: each tower's gradient
     * at the touched rows (its field gradient taken back through the pooling), with the part that
     * points against another tower's removed where their dot product on the row is negative,
     * minus the plain sum. Towers project in registration order against the others' unprojected
     * gradients, so the result does not depend on a random order as in the paper.
     */
    private Operand<TFloat32> pcgradCorrection(EmbeddingLookup shared, List<Operand<TFloat32>> pathGradients,
                                               TouchedRows touched) {
        List<Operand<TFloat32>> towerRows = new ArrayList<>();
        for (int p = 0; p < pathGradients.size(); p++) {
            Operand<TFloat32> atRows = gradients("pcgrad_" + p, List.of(shared.fields()), List.of(shared.rows()),
                    List.of(pathGradients.get(p))).get(0);
            towerRows.add(touched.sum(tf, atRows, shared.table().width()));
        }
        Operand<TInt32> rowAxis = tf.constant(1);
        // |g_j|^2 per row, once per tower (every other tower projects against it)
        List<Operand<TFloat32>> normsSq = new ArrayList<>();
        for (Operand<TFloat32> g : towerRows) {
            normsSq.add(tf.math.add(tf.reduceSum(tf.math.square(g), rowAxis, ReduceSum.keepDims(true)),
                    tf.constant(1e-20f)));
        }
        Operand<TFloat32> correction = null;
        for (int i = 0; i < towerRows.size(); i++) {
            Operand<TFloat32> projected = towerRows.get(i);
            for (int j = 0; j < towerRows.size(); j++) {
                if (j != i) {
                    Operand<TFloat32> other = towerRows.get(j);
                    Operand<TFloat32> dot = tf.reduceSum(tf.math.mul(projected, other), rowAxis,
                            ReduceSum.keepDims(true));
                    // min(dot, 0): rows where the two agree keep their gradient
                    Operand<TFloat32> conflict = tf.math.minimum(dot, tf.constant(0f));
                    projected = tf.math.sub(projected, tf.math.mul(tf.math.div(conflict, normsSq.get(j)), other));
                }
            }
            Operand<TFloat32> change = tf.math.sub(projected, towerRows.get(i));
            correction = correction == null ? change : tf.math.add(correction, change);
        }
        return correction;
    }

    private List<Operand<TFloat32>> gradients(String prefix, List<Operand<TFloat32>> ys, List<Operand<TFloat32>> xs,
                                              List<Operand<TFloat32>> dys) {
        Output<?>[] x = xs.stream().map(Operand::asOutput).toArray(Output<?>[]::new);
        Output<?>[] y = ys.stream().map(Operand::asOutput).toArray(Output<?>[]::new);
        Output<?>[] dx = dys == null ? null : dys.stream().map(Operand::asOutput).toArray(Output<?>[]::new);
        Output<?>[] dy = graph.addGradients(prefix, y, x, dx);
        List<Operand<TFloat32>> out = new ArrayList<>(dy.length);
        for (Output<?> d : dy) {
            out.add(d.expect(TFloat32.class));
        }
        return out;
    }
}
