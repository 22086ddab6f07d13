package dev.streamfm.model.tf;

import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Adam for dense variables (ResourceApplyAdam). The bias corrections beta^t come from the fed
 * step, so a restored model continues with exactly the updates the exported one would make.
 */
final class DenseAdam {

    static final float BETA1 = 0.9f;
    static final float BETA2 = 0.999f;
    static final float EPSILON = 1e-7f;

    private final VariableIO vars;
    private final Operand<TFloat32> learningRate;
    private final Operand<TFloat32> beta1;
    private final Operand<TFloat32> beta2;
    private final Operand<TFloat32> epsilon;
    private final Operand<TFloat32> beta1Power;
    private final Operand<TFloat32> beta2Power;

    DenseAdam(Ops tf, VariableIO vars, Operand<TInt64> step, double learningRate) {
        this.vars = vars;
        this.learningRate = tf.constant((float) learningRate);
        this.beta1 = tf.constant(BETA1);
        this.beta2 = tf.constant(BETA2);
        this.epsilon = tf.constant(EPSILON);
        Operand<TFloat32> t = tf.dtypes.cast(tf.math.add(step, tf.constant(1L)), TFloat32.class);
        this.beta1Power = tf.math.pow(beta1, t);
        this.beta2Power = tf.math.pow(beta2, t);
    }

    /** Creates the moment slots ("var.adam_m", "var.adam_v") and the update of {@code var}. */
    Op apply(Ops tf, TfVariable var, Operand<TFloat32> gradient) {
        TfVariable m = vars.slot(var, "adam_m", InitialValue.constant(0));
        TfVariable v = vars.slot(var, "adam_v", InitialValue.constant(0));
        return tf.train.resourceApplyAdam(var.handle(), m.handle(), v.handle(), beta1Power, beta2Power, learningRate,
                beta1, beta2, epsilon, gradient);
    }
}
