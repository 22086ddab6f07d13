package dev.streamfm.model.tf;

import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Adagrad on the touched rows of a table only (ResourceSparseApplyAdagradV2):
 * acc += g^2; w -= lr * g / (sqrt(acc) + eps). Rows outside the batch are never read or written.
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
        TfVariable accumulator = vars.slot(table, "adagrad", InitialValue.constant(initialAccumulator));
        Op update = tf.train.resourceSparseApplyAdagradV2(table.handle(), accumulator.handle(), learningRate, epsilon,
                rowGradients, rows);
        Ops afterUpdate = tf.withControlDependencies(update);
        Operand<TFloat32> valuesAfter = afterUpdate.resourceGather(table.handle(), rows, TFloat32.class);
        Operand<TFloat32> accumulatorAfter = afterUpdate.resourceGather(accumulator.handle(), rows, TFloat32.class);
        Operand<TFloat32> step = tf.math.div(tf.math.mul(learningRate, rowGradients),
                tf.math.add(tf.math.sqrt(accumulatorAfter), epsilon));
        return new AppliedUpdate(update, tf.math.add(valuesAfter, step), tf.math.neg(step));
    }
}
