package dev.streamfm.model.tf;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** First-order term: the sum over fields of the value-scaled first-order weights, [B, F, 1] to [B]. */
final class LinearTerm {

    private LinearTerm() {
    }

    static Operand<TFloat32> build(Ops tf, Operand<TFloat32> fieldWeights) {
        return tf.sum(fieldWeights, tf.constant(new int[] {1, 2}));
    }
}
