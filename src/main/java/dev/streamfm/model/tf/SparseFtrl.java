package dev.streamfm.model.tf;

import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ResourceGather;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

import java.util.List;

/**
 * FTRL-Proximal (McMahan et al. 2013) on the touched rows of a table (ResourceSparseApplyFtrlV2,
 * learning-rate power -1/2, no L2 of its own: the model's L2 is in the objective for both
 * optimizers): n' = n + g^2; z += g - (sqrt(n') - sqrt(n)) / lr * w; w = 0 if |z| <= l1, else
 * -(z - sign(z) l1) * lr / sqrt(n'). With l1 = 0 this is Adagrad without epsilon; l1 > 0 keeps
 * rows whose gradients do not add up to more than l1 at exactly 0.
 *
 * <p>The weights are a function of the slots (z, n), so the z slot starts at the value that
 * reproduces each initial weight: z0 = -(w0 sqrt(n0) / lr + sign(w0) l1). Starting z at 0 instead
 * would throw most of an embedding's random initialisation away at its first update, and an FM
 * whose embeddings all start near 0 learns nothing.
 *
 * <p>With per-example squares n' = n + (the sum of the row's per-example g^2) and the rest as
 * above with g the summed gradient. The fused op has no way to be given n' (nor, unlike
 * Adagrad's, to leave its slots alone), so that update is written out: gathers of w, n and z,
 * the closed form, and scatters back; the rows are distinct, so each is written once.
 */
final class SparseFtrl implements TableOptimizer {

    static final float LR_POWER = -0.5f;

    private final VariableIO vars;
    private final double learningRate;
    private final double initialAccumulator;
    private final double l1;
    private final Operand<TFloat32> lrOperand;
    private final Operand<TFloat32> l1Operand;
    private final Operand<TFloat32> zero;
    private final Operand<TFloat32> lrPower;

    SparseFtrl(Ops tf, VariableIO vars, double learningRate, double initialAccumulator, double l1) {
        this.vars = vars;
        this.learningRate = learningRate;
        this.initialAccumulator = initialAccumulator;
        this.l1 = l1;
        this.lrOperand = tf.constant((float) learningRate);
        this.l1Operand = tf.constant((float) l1);
        this.zero = tf.constant(0f);
        this.lrPower = tf.constant(LR_POWER);
    }

    /**
     * Creates the slots "table.ftrl_n" (accumulator) and "table.ftrl_z" (linear) and the update of
     * {@code rows}. The rows before the update are gathered first (the update waits for it): unlike
     * Adagrad's, FTRL's step cannot be recovered from the values after it once l1 clips a row to 0.
     */
    @Override
    public AppliedUpdate apply(Ops tf, TfVariable table, Operand<TFloat32> rowGradients, Operand<TInt32> rows) {
        TfVariable n = nSlot(table);
        TfVariable z = zSlot(table);
        ResourceGather<TFloat32> before = tf.resourceGather(table.handle(), rows, TFloat32.class);
        Op update = tf.withControlDependencies(List.of(before)).train.resourceSparseApplyFtrl(table.handle(),
                n.handle(), z.handle(), rowGradients, rows, lrOperand, l1Operand, zero, zero, lrPower);
        Operand<TFloat32> after = tf.withControlDependencies(update).resourceGather(table.handle(), rows, TFloat32.class);
        return new AppliedUpdate(update, before, tf.math.sub(after, before));
    }

    /**
     * As above with n' = n + {@code rowSquares}: n' = n + s; sigma = (sqrt(n') - sqrt(n)) / lr;
     * z' = z + g - sigma w; w' = 0 if |z'| <= l1, else (sign(z') l1 - z') lr / sqrt(n'), the fused
     * op's formulas with its l2 and shrinkage at 0. Before and delta come from the gathers.
     */
    @Override
    public AppliedUpdate apply(Ops tf, TfVariable table, Operand<TFloat32> rowGradients, Operand<TFloat32> rowSquares,
                               Operand<TInt32> rows) {
        TfVariable n = nSlot(table);
        TfVariable z = zSlot(table);
        Operand<TFloat32> before = tf.resourceGather(table.handle(), rows, TFloat32.class);
        Operand<TFloat32> nBefore = tf.resourceGather(n.handle(), rows, TFloat32.class);
        Operand<TFloat32> zBefore = tf.resourceGather(z.handle(), rows, TFloat32.class);
        Operand<TFloat32> nAfter = tf.math.add(nBefore, rowSquares);
        Operand<TFloat32> sqrtN = tf.math.sqrt(nAfter);
        Operand<TFloat32> sigma = tf.math.div(tf.math.sub(sqrtN, tf.math.sqrt(nBefore)), lrOperand);
        Operand<TFloat32> zAfter = tf.math.sub(tf.math.add(zBefore, rowGradients), tf.math.mul(sigma, before));
        Operand<TFloat32> shrunk = tf.math.div(tf.math.sub(tf.math.mul(tf.math.sign(zAfter), l1Operand), zAfter),
                tf.math.div(sqrtN, lrOperand));
        Operand<TFloat32> after = tf.select(tf.math.greater(tf.math.abs(zAfter), l1Operand), shrunk,
                tf.zerosLike(shrunk));
        Op update = tf.withControlDependencies(List.of(
                tf.resourceScatterUpdate(table.handle(), rows, after),
                tf.resourceScatterUpdate(n.handle(), rows, nAfter),
                tf.resourceScatterUpdate(z.handle(), rows, zAfter))).noOp();
        return new AppliedUpdate(update, before, tf.math.sub(after, before));
    }

    private TfVariable nSlot(TfVariable table) {
        return vars.slot(table, "ftrl_n", InitialValue.constant(initialAccumulator));
    }

    private TfVariable zSlot(TfVariable table) {
        float sigma0 = (float) (Math.sqrt(initialAccumulator) / learningRate);
        return vars.derivedSlot(table, "ftrl_z", (init, w0) -> init.math.neg(init.math.add(
                init.math.mul(w0, init.constant(sigma0)), init.math.mul(init.math.sign(w0), init.constant((float) l1)))));
    }
}
