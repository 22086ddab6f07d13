package dev.streamfm.model.tf;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

import java.util.List;

/** The training objective: mean log loss plus an optional L2 penalty on the table rows a batch reads. */
final class Objective {

    private Objective() {
    }

    /**
     * mean(softplus(logit) - logit * label): the sigmoid cross-entropy, which the core API lacks,
     * in a numerically stable form that addGradients differentiates.
     */
    static Operand<TFloat32> logLoss(Ops tf, Operand<TFloat32> logit, Operand<TFloat32> labels) {
        return tf.math.mean(tf.math.sub(tf.math.softplus(logit), tf.math.mul(logit, labels)), tf.constant(0));
    }

    /**
     * l2 * sum over the batch's used slots (value != 0) and every table (embeddings and first-order
     * weights) of |row|^2, divided by B like the loss: rows are penalised where they are read,
     * frequent rows more often, and an LR model is regularised too. Unused slots stay out of it.
     */
    static Operand<TFloat32> rowL2(Ops tf, List<EmbeddingLookup> tables, ModelInputs in, double l2) {
        Operand<TFloat32> used = tf.dtypes.cast(tf.math.notEqual(in.values(), tf.constant(0f)), TFloat32.class);
        Operand<TFloat32> total = null;
        for (EmbeddingLookup t : tables) {
            Operand<TFloat32> perSlot = tf.sum(tf.math.square(t.rows()), tf.constant(2));
            Operand<TFloat32> s = tf.sum(tf.math.mul(perSlot, used), tf.constant(new int[] {0, 1}));
            total = total == null ? s : tf.math.add(total, s);
        }
        return tf.math.mul(tf.constant((float) l2), tf.math.div(total, in.batchSize()));
    }
}
