package dev.streamfm.model.tf;

import dev.streamfm.analysis.LayerStat;
import dev.streamfm.analysis.StepAnalysis;
import dev.streamfm.analysis.TowerGradients;
import dev.streamfm.model.AnalysisLevel;
import dev.streamfm.model.Tower;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The in-graph reductions behind {@link StepAnalysis}, fetched in the same run as the update: per
 * example and field [|g_t|^2 per tower, then <g_a, g_b> per pair of towers (with two towers or
 * more), then g . e per path read for field importance], and per layer four sums (see
 * {@link #layerSums}). The last steps (absolute values, means, square roots) run in Java on
 * these few thousand numbers. Built once; a run that does not fetch it prunes it, so a step
 * without analysis pays nothing. An analysed step of a small model pays mostly per op, so the
 * graph is kept to a handful of ops per layer (see README, "What gradient analysis costs").
 *
 * <p>Tower and field figures are per example: the graph differentiates the batch-mean loss, whose
 * gradient at an example's own field outputs is 1/B of that example's gradient, so they are
 * multiplied by B. Layer figures use the batch gradient the optimizer applies.
 */
final class GradientAnalysis {

    private static final int SUMS_PER_LAYER = 4;

    /** Pair order: the DNN comes second in each of its pairs, so dominance is |G_dnn| / |G_other| as in FM-DNN. */
    private static final List<Tower> ORDER = List.of(Tower.FM, Tower.CIN, Tower.ATTENTION, Tower.DNN);

    private final List<String> towers;
    private final boolean sharedEmbedding;
    private final int taylorPaths;
    private final Operand<TFloat32> perExample;
    private final Operand<TFloat32> layerSums;
    private final Operand<TFloat32> elementCounts;
    private final List<ParameterTrace> parameters;

    private GradientAnalysis(List<String> towers, boolean sharedEmbedding, int taylorPaths,
                             Operand<TFloat32> perExample, Operand<TFloat32> layerSums,
                             Operand<TFloat32> elementCounts, List<ParameterTrace> parameters) {
        this.towers = towers;
        this.sharedEmbedding = sharedEmbedding;
        this.taylorPaths = taylorPaths;
        this.perExample = perExample;
        this.layerSums = layerSums;
        this.elementCounts = elementCounts;
        this.parameters = List.copyOf(parameters);
    }

    /**
     * @param paths      the field outputs the model reads; the FM and DNN ones form the towers
     * @param sharedPath for a DeepFM whose towers read one table: that table's field embeddings
     *                   with the total gradient; field importance then needs one product, not two
     */
    static GradientAnalysis build(Ops tf, List<FieldPath> paths, Optional<FieldPath> sharedPath,
                                  List<ParameterTrace> parameters) {
        Ops a = tf.withSubScope("analysis");
        List<FieldPath> towerPaths = new ArrayList<>();
        for (Tower t : ORDER) {
            path(paths, t.label()).ifPresent(towerPaths::add);
        }
        List<String> towers = towerPaths.size() < 2 ? List.of() : towerPaths.stream().map(FieldPath::name).toList();
        // Every per-example figure is a product of two [B, F, W] tensors summed over W: the towers'
        // squared norms, their pairwise dots, and each path's Taylor term g . e. A MatMul against
        // ones sums over W several times faster than Sum does.
        List<Operand<TFloat32>> sums = new ArrayList<>();
        if (!towers.isEmpty()) {
            for (FieldPath p : towerPaths) {
                sums.add(sumOverWidth(a, a.math.square(p.gradient())));
            }
            for (int i = 0; i < towerPaths.size(); i++) {
                for (int j = i + 1; j < towerPaths.size(); j++) {
                    sums.add(sumOverWidth(a, a.math.mul(towerPaths.get(i).gradient(), towerPaths.get(j).gradient())));
                }
            }
        }
        List<FieldPath> taylorPaths = sharedPath.map(List::of).orElse(paths);
        for (FieldPath p : taylorPaths) {
            sums.add(sumOverWidth(a, a.math.mul(p.gradient(), p.output())));
        }
        Operand<TFloat32> perExample = sums.size() == 1 ? sums.get(0) : a.concat(sums, a.constant(0));
        return new GradientAnalysis(towers, sharedPath.isPresent(), taylorPaths.size(), perExample,
                layerSums(a, parameters), elementCounts(a, parameters), parameters);
    }

    /** Adds the fetches of {@code level} to {@code runner}: none when OFF. */
    void fetch(Session.Runner runner, AnalysisLevel level) {
        if (level.any()) {
            runner.fetch(perExample);
        }
        if (level == AnalysisLevel.FULL) {
            runner.fetch(layerSums).fetch(elementCounts);
        }
    }

    /** Reads the fetches of {@link #fetch} from {@code result}, starting at {@code index}. */
    StepAnalysis read(Result result, int index, AnalysisLevel level, long step, int batchSize, List<String> fields) {
        float[] v = Tensors.floats(result.get(index));
        int n = batchSize * fields.size();
        // The graph differentiates the batch-mean loss: an example's own gradient is B times it.
        float perExample = batchSize;
        float perExampleSq = perExample * perExample;
        int at = 0;
        List<TowerGradients> pairs = new ArrayList<>();
        List<float[]> normsSq = new ArrayList<>();
        for (int t = 0; t < towers.size(); t++, at += n) {
            normsSq.add(scaled(v, at, n, perExampleSq));
        }
        for (int i = 0; i < towers.size(); i++) {
            for (int j = i + 1; j < towers.size(); j++, at += n) {
                pairs.add(new TowerGradients(towers.get(i), towers.get(j), batchSize, fields.size(),
                        scaled(v, at, n, perExampleSq), normsSq.get(i), normsSq.get(j), sharedEmbedding));
            }
        }
        // mean over the batch of |B * taylor| is the sum over the batch of |taylor|
        int fieldCount = fields.size();
        double[] fieldImportance = new double[fieldCount];
        for (int k = 0; k < n; k++) {
            double taylor = 0;
            for (int p = 0; p < taylorPaths; p++) {
                taylor += v[at + p * n + k];
            }
            fieldImportance[k % fieldCount] += Math.abs(taylor);
        }
        if (level != AnalysisLevel.FULL) {
            return new StepAnalysis(step, fields, pairs, fieldImportance, List.of());
        }
        float[] sums = Tensors.floats(result.get(index + 1));
        float[] counts = Tensors.floats(result.get(index + 2));
        List<LayerStat> layers = new ArrayList<>(parameters.size());
        for (int l = 0; l < parameters.size(); l++) {
            ParameterTrace p = parameters.get(l);
            int s = l * SUMS_PER_LAYER;
            double paramNorm = Math.sqrt(sums[s + 2]);
            double deltaNorm = Math.sqrt(sums[s + 3]);
            layers.add(new LayerStat(p.name(), p.kind(), sums[s] / counts[l], Math.sqrt(sums[s + 1]), paramNorm,
                    paramNorm == 0 ? 0 : deltaNorm / paramNorm));
        }
        return new StepAnalysis(step, fields, pairs, fieldImportance, layers);
    }

    private static float[] scaled(float[] v, int from, int n, float factor) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = v[from + i] * factor;
        }
        return out;
    }

    /**
     * Per layer the sums behind its statistics, [L x 4]: sum |g * theta|, |g|^2, |theta|^2,
     * |delta|^2, each a dot product of flattened tensors: a MatMul reduces a large weight matrix
     * several times faster than Sum or L2Loss do. Stacking a layer's tensors to reduce them in one
     * MatMul was slower: TensorFlow's Pack copies large tensors slowly.
     */
    private static Operand<TFloat32> layerSums(Ops a, List<ParameterTrace> parameters) {
        List<Operand<TFloat32>> sums = new ArrayList<>();
        for (ParameterTrace p : parameters) {
            Operand<TFloat32> g = row(a, p.gradient());
            Operand<TFloat32> theta = row(a, p.before());
            Operand<TFloat32> delta = row(a, p.delta());
            sums.add(dot(a, a.math.abs(g), a.math.abs(theta)));
            sums.add(dot(a, g, g));
            sums.add(dot(a, theta, theta));
            sums.add(dot(a, delta, delta));
        }
        return flat(a, a.stack(sums));
    }

    /** [1, N]. */
    private static Operand<TFloat32> row(Ops a, Operand<TFloat32> x) {
        return a.reshape(x, a.constant(new int[] {1, -1}));
    }

    /** Sum of x * y over rows [1, N]: [1, 1]. */
    private static Operand<TFloat32> dot(Ops a, Operand<TFloat32> x, Operand<TFloat32> y) {
        return a.linalg.matMul(x, y, MatMul.transposeB(true));
    }

    /** Elements per layer's gradient: known for dense variables, the touched rows' for tables. */
    private static Operand<TFloat32> elementCounts(Ops a, List<ParameterTrace> parameters) {
        List<Operand<TInt32>> sizes = new ArrayList<>();
        for (ParameterTrace p : parameters) {
            Shape shape = p.gradient().shape();
            sizes.add(shape.hasUnknownDimension() ? a.size(p.gradient()) : a.constant(Math.toIntExact(shape.size())));
        }
        return a.dtypes.cast(a.stack(sizes), TFloat32.class);
    }

    /** [B, F, W] to [B * F]. */
    private static Operand<TFloat32> sumOverWidth(Ops a, Operand<TFloat32> x) {
        long width = x.shape().get(2);
        if (width < 0) {
            return flat(a, a.sum(x, a.constant(2)));
        }
        float[][] ones = new float[Math.toIntExact(width)][1];
        for (float[] row : ones) {
            row[0] = 1f;
        }
        return flat(a, a.linalg.matMul(a.reshape(x, a.constant(new int[] {-1, Math.toIntExact(width)})), a.constant(ones)));
    }

    private static Optional<FieldPath> path(List<FieldPath> paths, String name) {
        return paths.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    private static Operand<TFloat32> flat(Ops a, Operand<TFloat32> x) {
        return a.reshape(x, a.constant(new int[] {-1}));
    }
}
