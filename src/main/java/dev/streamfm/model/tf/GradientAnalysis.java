package dev.streamfm.model.tf;

import dev.streamfm.analysis.LayerStat;
import dev.streamfm.analysis.StepAnalysis;
import dev.streamfm.analysis.TowerGradients;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The in-graph reductions behind {@link StepAnalysis}, fetched in the same run as the update.
 * Built once; a run that does not fetch them prunes them, so a step without analysis pays nothing.
 *
 * <p>Tower and field figures are per example: the graph differentiates the batch-mean loss, whose
 * gradient at an example's own field outputs is 1/B of that example's gradient, so they are
 * multiplied by B. Layer figures use the batch gradient the optimizer applies.
 */
final class GradientAnalysis {

    private static final int STATS_PER_LAYER = 4;

    private record Towers(Operand<TFloat32> dot, Operand<TFloat32> fmNormSq, Operand<TFloat32> dnnNormSq,
                          boolean sharedEmbedding) {
    }

    private final Optional<Towers> towers;
    private final Operand<TFloat32> fieldImportance;
    private final Operand<TFloat32> layerStats;
    private final List<ParameterTrace> parameters;

    private GradientAnalysis(Optional<Towers> towers, Operand<TFloat32> fieldImportance, Operand<TFloat32> layerStats,
                             List<ParameterTrace> parameters) {
        this.towers = towers;
        this.fieldImportance = fieldImportance;
        this.layerStats = layerStats;
        this.parameters = List.copyOf(parameters);
    }

    /**
     * @param paths           the field outputs the model reads; the FM and DNN ones form the towers
     * @param sharedEmbedding whether the FM and DNN paths read one table
     */
    static GradientAnalysis build(Ops tf, Operand<TFloat32> batchSize, List<FieldPath> paths, boolean sharedEmbedding,
                                  List<ParameterTrace> parameters) {
        Ops a = tf.withSubScope("analysis");
        Optional<FieldPath> fm = path(paths, FieldPath.FM);
        Optional<FieldPath> dnn = path(paths, FieldPath.DNN);
        Optional<Towers> towers = Optional.empty();
        if (fm.isPresent() && dnn.isPresent()) {
            Operand<TFloat32> gFm = perExample(a, fm.get().gradient(), batchSize);
            Operand<TFloat32> gDnn = perExample(a, dnn.get().gradient(), batchSize);
            towers = Optional.of(new Towers(sumOverDim(a, a.math.mul(gFm, gDnn)), sumOverDim(a, a.math.square(gFm)),
                    sumOverDim(a, a.math.square(gDnn)), sharedEmbedding));
        }
        Operand<TFloat32> taylor = null;
        for (FieldPath p : paths) {
            Operand<TFloat32> term = sumOverDim(a, a.math.mul(p.gradient(), p.output()));
            taylor = taylor == null ? term : a.math.add(taylor, term);
        }
        Operand<TFloat32> importance = a.math.mul(a.math.mean(a.math.abs(taylor), a.constant(0)), batchSize);
        List<Operand<TFloat32>> stats = new ArrayList<>();
        for (ParameterTrace p : parameters) {
            stats.addAll(layerStats(a, p));
        }
        return new GradientAnalysis(towers, importance, a.stack(stats), parameters);
    }

    /** Adds this analysis' fetches to {@code runner}; {@link #read} expects them from index {@code first} on. */
    void fetch(Session.Runner runner) {
        towers.ifPresent(t -> runner.fetch(t.dot()).fetch(t.fmNormSq()).fetch(t.dnnNormSq()));
        runner.fetch(fieldImportance).fetch(layerStats);
    }

    StepAnalysis read(Result result, int first, long step, int batchSize, List<String> fields) {
        int i = first;
        Optional<TowerGradients> towerGradients = Optional.empty();
        if (towers.isPresent()) {
            towerGradients = Optional.of(new TowerGradients(batchSize, fields.size(), Tensors.floats(result.get(i)),
                    Tensors.floats(result.get(i + 1)), Tensors.floats(result.get(i + 2)), towers.get().sharedEmbedding()));
            i += 3;
        }
        float[] importance = Tensors.floats(result.get(i));
        float[] stats = Tensors.floats(result.get(i + 1));
        double[] fieldImportance = new double[importance.length];
        for (int f = 0; f < importance.length; f++) {
            fieldImportance[f] = importance[f];
        }
        List<LayerStat> layers = new ArrayList<>(parameters.size());
        for (int l = 0; l < parameters.size(); l++) {
            int s = l * STATS_PER_LAYER;
            ParameterTrace p = parameters.get(l);
            layers.add(new LayerStat(p.name(), p.kind(), stats[s], stats[s + 1], stats[s + 2], stats[s + 3]));
        }
        return new StepAnalysis(step, fields, towerGradients, fieldImportance, layers);
    }

    /** importance mean|g*theta|, |g|, |theta|, |theta_after - theta| / |theta| (0 when |theta| = 0). */
    private static List<Operand<TFloat32>> layerStats(Ops a, ParameterTrace p) {
        Operand<TFloat32> g = flat(a, p.gradient());
        Operand<TFloat32> theta = flat(a, p.before());
        Operand<TFloat32> paramNorm = norm(a, theta);
        return List.of(
                a.math.mean(a.math.abs(a.math.mul(g, theta)), a.constant(0)),
                norm(a, g),
                paramNorm,
                a.math.divNoNan(norm(a, a.math.sub(flat(a, p.after()), theta)), paramNorm));
    }

    private static Optional<FieldPath> path(List<FieldPath> paths, String name) {
        return paths.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    private static Operand<TFloat32> perExample(Ops a, Operand<TFloat32> meanGradient, Operand<TFloat32> batchSize) {
        return a.math.mul(meanGradient, batchSize);
    }

    /** [B, F, W] to [B, F]. */
    private static Operand<TFloat32> sumOverDim(Ops a, Operand<TFloat32> x) {
        return a.sum(x, a.constant(2));
    }

    private static Operand<TFloat32> flat(Ops a, Operand<TFloat32> x) {
        return a.reshape(x, a.constant(new int[] {-1}));
    }

    private static Operand<TFloat32> norm(Ops a, Operand<TFloat32> flat) {
        return a.math.sqrt(a.sum(a.math.square(flat), a.constant(0)));
    }
}
