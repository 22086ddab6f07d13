package dev.streamfm.model.tf;

import dev.streamfm.model.DelayedFeedback;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

import java.util.List;

/** The training objective: mean log loss plus an optional L2 penalty on the table rows a batch reads. */
final class Objective {

    private Objective() {
    }

    /**
     * mean(weight * (softplus(logit) - logit * label)): the sigmoid cross-entropy, which the core
     * API lacks, in a numerically stable form that addGradients differentiates. The weight is 1,
     * or under fake-negative feedback (1 + p) for a positive and (1 - p)(1 + p) for a negative,
     * with p the model's own prediction behind a stop-gradient, as the importance weights of
     * Ktena et al. (2019) are constants of the step.
     */
    static Operand<TFloat32> logLoss(Ops tf, Operand<TFloat32> logit, Operand<TFloat32> labels,
                                     DelayedFeedback feedback) {
        Operand<TFloat32> crossEntropy = tf.math.sub(tf.math.softplus(logit), tf.math.mul(logit, labels));
        if (feedback == DelayedFeedback.FAKE_NEGATIVE) {
            Operand<TFloat32> p = tf.stopGradient(tf.math.sigmoid(logit));
            Operand<TFloat32> one = tf.constant(1f);
            Operand<TFloat32> onePlusP = tf.math.add(one, p);
            Operand<TFloat32> negativeWeight = tf.math.mul(tf.math.sub(one, p), onePlusP);
            Operand<TFloat32> weight = tf.math.add(tf.math.mul(labels, onePlusP),
                    tf.math.mul(tf.math.sub(one, labels), negativeWeight));
            crossEntropy = tf.math.mul(weight, crossEntropy);
        }
        return tf.math.mean(crossEntropy, tf.constant(0));
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
