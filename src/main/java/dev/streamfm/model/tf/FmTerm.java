package dev.streamfm.model.tf;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The factorization-machine pairwise term in O(F*D): sum over field pairs f<g of <e_f, e_g>
 * equals 0.5 * sum_d ((sum_f e_fd)^2 - sum_f e_fd^2). With pooled multi-valued fields the pairs
 * run across fields only, not within one field.
 */
final class FmTerm {

    private FmTerm() {
    }

    /** [B, F, D] to [B]. */
    static Operand<TFloat32> build(Ops tf, Operand<TFloat32> fields) {
        Operand<TFloat32> sum = tf.sum(fields, tf.constant(1));
        Operand<TFloat32> sumOfSquares = tf.sum(tf.math.square(fields), tf.constant(1));
        return tf.math.mul(tf.constant(0.5f),
                tf.sum(tf.math.sub(tf.math.square(sum), sumOfSquares), tf.constant(1)));
    }
}
