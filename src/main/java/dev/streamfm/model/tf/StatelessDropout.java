package dev.streamfm.model.tf;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

import java.util.List;

/**
 * Inverted dropout from a stateless RNG seeded by (model seed + layer, step): the same step draws
 * the same mask, so training replays exactly after an import. Training path only; inference is
 * built without it because the RNG ops would run even at keep=1.
 */
final class StatelessDropout {

    /** No dropout: {@link #apply} returns its input and builds no op. */
    static final StatelessDropout NONE = new StatelessDropout(0, 0, null);

    private final double rate;
    private final long seed;
    private final Operand<TInt64> step;

    StatelessDropout(double rate, long seed, Operand<TInt64> step) {
        this.rate = rate;
        this.seed = seed;
        this.step = step;
    }

    boolean active() {
        return rate > 0;
    }

    Operand<TFloat32> apply(Ops tf, Operand<TFloat32> h, int layer) {
        if (!active()) {
            return h;
        }
        float keep = (float) (1 - rate);
        Operand<TInt64> layerSeed = tf.constant(new long[] {seed + 1_000_003L * (layer + 1)});
        Operand<TInt64> rngSeed = tf.concat(List.of(layerSeed, tf.reshape(step, tf.constant(new int[] {1}))),
                tf.constant(0));
        Operand<TFloat32> u = tf.random.statelessRandomUniform(tf.shape(h), rngSeed);
        Operand<TFloat32> mask = tf.stopGradient(tf.math.div(tf.math.floor(tf.math.add(u, tf.constant(keep))),
                tf.constant(keep)));
        return tf.math.mul(h, mask);
    }
}
