package dev.streamfm.model.tf;

import dev.streamfm.analysis.LayerStat;
import dev.streamfm.analysis.StepAnalysis;
import dev.streamfm.analysis.TowerGradients;
import dev.streamfm.model.Tower;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Stack;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The in-graph reductions behind {@link StepAnalysis}, fetched in the same run as the update as
 * one packed vector: [|g_t|^2 per tower, then <g_a, g_b> per pair of towers (each B x F, with two
 * towers or more), field importance (F), layer statistics (L x 4)]. Built once; a run that does not fetch it prunes it,
 * so a step without analysis pays nothing. An analysed step pays for about 150 small ops and the
 * extra passes over the dense weights and per-example field gradients: per-op executor overhead
 * dominates on small models, memory traffic on large ones (see the bench for figures).
 *
 * <p>Tower and field figures are per example: the graph differentiates the batch-mean loss, whose
 * gradient at an example's own field outputs is 1/B of that example's gradient, so they are
 * multiplied by B. Layer figures use the batch gradient the optimizer applies.
 */
final class GradientAnalysis {

    private static final int STATS_PER_LAYER = 4;

    /** Pair order: the DNN comes second in each of its pairs, so dominance is |G_dnn| / |G_other| as in FM-DNN. */
    private static final List<Tower> ORDER = List.of(Tower.FM, Tower.CIN, Tower.ATTENTION, Tower.DNN);

    private final List<String> towers;
    private final boolean sharedEmbedding;
    private final Operand<TFloat32> packed;
    private final List<ParameterTrace> parameters;

    private GradientAnalysis(List<String> towers, boolean sharedEmbedding, Operand<TFloat32> packed,
                             List<ParameterTrace> parameters) {
        this.towers = towers;
        this.sharedEmbedding = sharedEmbedding;
        this.packed = packed;
        this.parameters = List.copyOf(parameters);
    }

    /**
     * @param paths      the field outputs the model reads; the FM and DNN ones form the towers
     * @param sharedPath for a DeepFM whose towers read one table: that table's field embeddings
     *                   with the total gradient; field importance then needs one product, not two
     */
    static GradientAnalysis build(Ops tf, Operand<TFloat32> batchSize, List<FieldPath> paths,
                                  Optional<FieldPath> sharedPath, List<ParameterTrace> parameters) {
        Ops a = tf.withSubScope("analysis");
        List<Operand<TFloat32>> parts = new ArrayList<>();
        List<FieldPath> towerPaths = new ArrayList<>();
        for (Tower t : ORDER) {
            path(paths, t.label()).ifPresent(towerPaths::add);
        }
        List<String> towers = towerPaths.size() < 2 ? List.of() : towerPaths.stream().map(FieldPath::name).toList();
        if (!towers.isEmpty()) {
            // |g_t|^2 once per tower, then <g_a, g_b> per pair, each per example and field
            List<Operand<TFloat32>> sums = new ArrayList<>();
            for (FieldPath p : towerPaths) {
                sums.add(flat(a, sumOverWidth(a, a.math.square(p.gradient()))));
            }
            for (int i = 0; i < towerPaths.size(); i++) {
                for (int j = i + 1; j < towerPaths.size(); j++) {
                    sums.add(flat(a, sumOverWidth(a, a.math.mul(towerPaths.get(i).gradient(),
                            towerPaths.get(j).gradient()))));
                }
            }
            parts.add(a.math.mul(a.concat(sums, a.constant(0)), a.math.square(batchSize)));
        }
        Operand<TFloat32> taylor = null;
        for (FieldPath p : sharedPath.map(List::of).orElse(paths)) {
            Operand<TFloat32> term = sumOverWidth(a, a.math.mul(p.gradient(), p.output()));
            taylor = taylor == null ? term : a.math.add(taylor, term);
        }
        parts.add(a.math.mul(a.math.mean(a.math.abs(taylor), a.constant(0)), batchSize));
        parts.add(layerStats(a, parameters));
        return new GradientAnalysis(towers, sharedPath.isPresent(), a.concat(parts, a.constant(0)), parameters);
    }

    void fetch(Session.Runner runner) {
        runner.fetch(packed);
    }

    StepAnalysis read(Result result, int index, long step, int batchSize, List<String> fields) {
        float[] v = Tensors.floats(result.get(index));
        int n = batchSize * fields.size();
        int at = 0;
        List<TowerGradients> pairs = new ArrayList<>();
        List<float[]> normsSq = new ArrayList<>();
        for (int t = 0; t < towers.size(); t++, at += n) {
            normsSq.add(Arrays.copyOfRange(v, at, at + n));
        }
        for (int i = 0; i < towers.size(); i++) {
            for (int j = i + 1; j < towers.size(); j++, at += n) {
                pairs.add(new TowerGradients(towers.get(i), towers.get(j), batchSize, fields.size(),
                        Arrays.copyOfRange(v, at, at + n), normsSq.get(i), normsSq.get(j), sharedEmbedding));
            }
        }
        double[] fieldImportance = new double[fields.size()];
        for (int f = 0; f < fieldImportance.length; f++) {
            fieldImportance[f] = v[at++];
        }
        List<LayerStat> layers = new ArrayList<>(parameters.size());
        for (ParameterTrace p : parameters) {
            layers.add(new LayerStat(p.name(), p.kind(), v[at], v[at + 1], v[at + 2], v[at + 3]));
            at += STATS_PER_LAYER;
        }
        return new StepAnalysis(step, fields, pairs, fieldImportance, layers);
    }

    /**
     * Per layer: importance mean|g*theta|, |g|, |theta|, |delta| / |theta| (0 when |theta| = 0),
     * flattened [L x 4]. The per-layer sums are dot products of flattened tensors: a MatMul
     * reduces a large weight matrix several times faster than Sum or L2Loss do. Then the
     * arithmetic runs once for all layers.
     */
    private static Operand<TFloat32> layerStats(Ops a, List<ParameterTrace> parameters) {
        List<Operand<TFloat32>> taylor = new ArrayList<>();
        List<Operand<TFloat32>> gradSq = new ArrayList<>();
        List<Operand<TFloat32>> paramSq = new ArrayList<>();
        List<Operand<TFloat32>> deltaSq = new ArrayList<>();
        List<Operand<TInt32>> sizes = new ArrayList<>();
        for (ParameterTrace p : parameters) {
            Operand<TFloat32> g = row(a, p.gradient());
            Operand<TFloat32> theta = row(a, p.before());
            Operand<TFloat32> delta = row(a, p.delta());
            taylor.add(dot(a, a.math.abs(g), a.math.abs(theta)));
            gradSq.add(dot(a, g, g));
            paramSq.add(dot(a, theta, theta));
            deltaSq.add(dot(a, delta, delta));
            Shape shape = p.gradient().shape();
            sizes.add(shape.hasUnknownDimension() ? a.size(p.gradient()) : a.constant(Math.toIntExact(shape.size())));
        }
        Operand<TFloat32> paramNorm = a.math.sqrt(a.stack(paramSq));
        Operand<TFloat32> stats = a.stack(List.of(
                a.math.div(a.stack(taylor), a.reshape(a.dtypes.cast(a.stack(sizes), TFloat32.class),
                        a.constant(new int[] {-1, 1, 1}))),
                a.math.sqrt(a.stack(gradSq)),
                paramNorm,
                a.math.divNoNan(a.math.sqrt(a.stack(deltaSq)), paramNorm)),
                Stack.axis(1L));
        return flat(a, stats);
    }

    /** [1, N]. */
    private static Operand<TFloat32> row(Ops a, Operand<TFloat32> x) {
        return a.reshape(x, a.constant(new int[] {1, -1}));
    }

    /** Sum of x * y over rows [1, N]: [1, 1]. */
    private static Operand<TFloat32> dot(Ops a, Operand<TFloat32> x, Operand<TFloat32> y) {
        return a.linalg.matMul(x, y, MatMul.transposeB(true));
    }

    private static Optional<FieldPath> path(List<FieldPath> paths, String name) {
        return paths.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** [B, F, W] to [B, F]. */
    private static Operand<TFloat32> sumOverWidth(Ops a, Operand<TFloat32> x) {
        return a.sum(x, a.constant(2));
    }

    private static Operand<TFloat32> flat(Ops a, Operand<TFloat32> x) {
        return a.reshape(x, a.constant(new int[] {-1}));
    }
}
