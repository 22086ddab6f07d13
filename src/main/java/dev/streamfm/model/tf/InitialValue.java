package dev.streamfm.model.tf;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * How a variable is initialised. Random ones are stateless, seeded by (model seed, variable
 * index), so two models of one config start identical. Table rows can be initialised again, any
 * number at a time (feature expiry, README "Feature admission and expiry"): then the first
 * dimension of {@code shape} is unknown and {@code dims} holds it.
 */
@FunctionalInterface
interface InitialValue {

    /**
     * Built with the init-scope {@code Ops} (or the graph's, for rows initialised again).
     *
     * @param shape static shape; its first dimension is unknown (-1) for rows initialised again
     * @param dims  the shape as an int64 tensor, always complete
     * @param seed  an int64 [2] tensor
     */
    Operand<TFloat32> build(Ops init, Shape shape, Operand<TInt64> dims, Operand<TInt64> seed);

    static InitialValue constant(double value) {
        return (tf, shape, dims, seed) -> tf.fill(dims, tf.constant((float) value));
    }

    static InitialValue truncatedNormal(double stddev) {
        return (tf, shape, dims, seed) -> tf.math.mul(tf.random.statelessTruncatedNormal(dims, seed),
                tf.constant((float) stddev));
    }

    /** Glorot/Xavier uniform for a [fanIn, fanOut] matrix: U(-l, l) with l = sqrt(6 / (fanIn + fanOut)). */
    static InitialValue glorotUniform() {
        return (tf, shape, dims, seed) -> {
            float limit = (float) Math.sqrt(6.0 / (shape.get(0) + shape.get(1)));
            Operand<TFloat32> u = tf.random.statelessRandomUniform(dims, seed);
            return tf.math.mul(tf.math.sub(tf.math.mul(u, tf.constant(2f)), tf.constant(1f)), tf.constant(limit));
        };
    }
}
