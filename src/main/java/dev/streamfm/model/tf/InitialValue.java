package dev.streamfm.model.tf;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * How a variable is initialised. Random ones are stateless, seeded by (model seed, variable
 * index), so two models of one config start identical. The shape is a tensor, so a table's rows
 * can be initialised again, any number of them at a time (feature expiry, README "Feature
 * admission and expiry").
 */
@FunctionalInterface
interface InitialValue {

    /** Built with the init-scope {@code Ops} (or the graph's, for rows initialised again); {@code seed} is an int64 [2] tensor. */
    Operand<TFloat32> build(Ops init, Operand<TInt64> shape, Operand<TInt64> seed);

    static InitialValue constant(double value) {
        return (tf, shape, seed) -> tf.fill(shape, tf.constant((float) value));
    }

    static InitialValue truncatedNormal(double stddev) {
        return (tf, shape, seed) -> tf.math.mul(tf.random.statelessTruncatedNormal(shape, seed),
                tf.constant((float) stddev));
    }

    /** Glorot/Xavier uniform for a [fanIn, fanOut] matrix: U(-l, l) with l = sqrt(6 / (fanIn + fanOut)). */
    static InitialValue glorotUniform(long fanIn, long fanOut) {
        float limit = (float) Math.sqrt(6.0 / (fanIn + fanOut));
        return (tf, shape, seed) -> {
            Operand<TFloat32> u = tf.random.statelessRandomUniform(shape, seed);
            return tf.math.mul(tf.math.sub(tf.math.mul(u, tf.constant(2f)), tf.constant(1f)), tf.constant(limit));
        };
    }
}
