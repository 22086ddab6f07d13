package dev.streamfm.model.tf;

import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.train.ResourceSparseApplyAdagradV2;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

import java.util.List;

/**
 * Adagrad on the touched rows of a table only (ResourceSparseApplyAdagradV2):
 * acc += g^2; w -= lr * g / (sqrt(acc) + eps). Rows outside the batch are never read or written.
 * With per-example squares the accumulator adds them (a ResourceScatterAdd) and the fused op then
 * runs with update_slots off, so the step is the same formula on the new accumulator.
 */
final class SparseAdagrad implements TableOptimizer {

    static final float EPSILON = 1e-7f;

    private final VariableIO vars;
    private final double initialAccumulator;
    private final Operand<TFloat32> learningRate;
    private final Operand<TFloat32> epsilon;

    SparseAdagrad(Ops tf, VariableIO vars, double learningRate, double initialAccumulator) {
        this.vars = vars;
        this.initialAccumulator = initialAccumulator;
        this.learningRate = tf.constant((float) learningRate);
        this.epsilon = tf.constant(EPSILON);
    }

    /**
     * Creates the table's accumulator slot ("table.adagrad") and the update of {@code rows}. The
     * rows' values before the update are recovered from the values and accumulator after it, as
     * after + lr * g / (sqrt(acc) + eps): gathers after the update cost far less than reducing the
     * per-occurrence gather onto the rows (a segment op), and a gather before it would have to run on
     * every step.
     */
    @Override
    public AppliedUpdate apply(Ops tf, TfVariable table, Operand<TFloat32> rowGradients, Operand<TInt32> rows) {
        TfVariable accumulator = slot(table);
        Op update = tf.train.resourceSparseApplyAdagradV2(table.handle(), accumulator.handle(), learningRate, epsilon,
                rowGradients, rows);
        return applied(tf, update, table, accumulator, rowGradients, rows);
    }

    /** As above, with acc += {@code rowSquares}: the same recovery of the values before holds. */
    @Override
    public AppliedUpdate apply(Ops tf, TfVariable table, Operand<TFloat32> rowGradients, Operand<TFloat32> rowSquares,
                               Operand<TInt32> rows) {
        TfVariable accumulator = slot(table);
        Op accumulate = tf.resourceScatterAdd(accumulator.handle(), rows, rowSquares);
        Op update = tf.withControlDependencies(List.of(accumulate)).train.resourceSparseApplyAdagradV2(table.handle(),
                accumulator.handle(), learningRate, epsilon, rowGradients, rows,
                ResourceSparseApplyAdagradV2.updateSlots(false));
        return applied(tf, update, table, accumulator, rowGradients, rows);
    }

    private TfVariable slot(TfVariable table) {
        return vars.slot(table, "adagrad", InitialValue.constant(initialAccumulator));
    }

    private AppliedUpdate applied(Ops tf, Op update, TfVariable table, TfVariable accumulator,
                                  Operand<TFloat32> rowGradients, Operand<TInt32> rows) {
        Ops afterUpdate = tf.withControlDependencies(update);
        Operand<TFloat32> valuesAfter = afterUpdate.resourceGather(table.handle(), rows, TFloat32.class);
        Operand<TFloat32> accumulatorAfter = afterUpdate.resourceGather(accumulator.handle(), rows, TFloat32.class);
        Operand<TFloat32> step = tf.math.div(tf.math.mul(learningRate, rowGradients),
                tf.math.add(tf.math.sqrt(accumulatorAfter), epsilon));
        return new AppliedUpdate(update, tf.math.add(valuesAfter, step), tf.math.neg(step));
    }
}
