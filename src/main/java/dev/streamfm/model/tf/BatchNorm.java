package dev.streamfm.model.tf;

import dev.streamfm.model.LayerKind;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

import java.util.List;

/**
 * Batch normalisation of one hidden layer: batch statistics in training, moving averages (updated
 * by the train step, not trainable, exported with the rest) in inference.
 */
final class BatchNorm {

    static final float EPSILON = 1e-3f;
    static final float MOMENTUM = 0.99f;

    private final TfVariable gamma;
    private final TfVariable beta;
    private final TfVariable movingMean;
    private final TfVariable movingVariance;

    private BatchNorm(TfVariable gamma, TfVariable beta, TfVariable movingMean, TfVariable movingVariance) {
        this.gamma = gamma;
        this.beta = beta;
        this.movingMean = movingMean;
        this.movingVariance = movingVariance;
    }

    static BatchNorm create(VariableIO vars, String prefix, int width) {
        return new BatchNorm(
                vars.add(prefix + "_gamma", LayerKind.DNN, false, InitialValue.constant(1), width),
                vars.add(prefix + "_beta", LayerKind.DNN, false, InitialValue.constant(0), width),
                vars.add(prefix + "_moving_mean", LayerKind.DNN, false, InitialValue.constant(0), width),
                vars.add(prefix + "_moving_variance", LayerKind.DNN, false, InitialValue.constant(1), width));
    }

    List<TfVariable> trainables() {
        return List.of(gamma, beta);
    }

    /** Normalises with the batch's statistics and adds the moving-average updates to {@code updates}. */
    Operand<TFloat32> training(Ops tf, Operand<TFloat32> z, List<Op> updates) {
        Operand<TFloat32> mean = tf.math.mean(z, tf.constant(0));
        Operand<TFloat32> variance = tf.math.mean(tf.math.squaredDifference(z, mean), tf.constant(0));
        // The updates read the moving statistics through the same read ops as inference, so an
        // inference forward in the same run sees the values from before the update.
        updates.add(tf.assignVariableOp(movingMean.handle(), movingAverage(tf, movingMean, mean)));
        updates.add(tf.assignVariableOp(movingVariance.handle(), movingAverage(tf, movingVariance, variance)));
        return normalise(tf, z, mean, variance);
    }

    Operand<TFloat32> inference(Ops tf, Operand<TFloat32> z) {
        return normalise(tf, z, movingMean.read(), movingVariance.read());
    }

    private Operand<TFloat32> normalise(Ops tf, Operand<TFloat32> z, Operand<TFloat32> mean, Operand<TFloat32> variance) {
        Operand<TFloat32> scale = tf.math.mul(tf.math.rsqrt(tf.math.add(variance, tf.constant(EPSILON))), gamma.read());
        return tf.math.add(tf.math.mul(tf.math.sub(z, mean), scale), beta.read());
    }

    private static Operand<TFloat32> movingAverage(Ops tf, TfVariable moving, Operand<TFloat32> batch) {
        return tf.math.add(tf.math.mul(moving.read(), tf.constant(MOMENTUM)),
                tf.math.mul(tf.stopGradient(batch), tf.constant(1 - MOMENTUM)));
    }
}
