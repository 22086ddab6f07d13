package dev.streamfm.model.tf;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Unique;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The distinct table rows a batch touches (UniqueV2), onto which per-occurrence tensors
 * [B, slots, W] are reduced. Every table is indexed by the same rows, so one Unique serves all.
 */
final class TouchedRows {

    private final Unique<TInt32, TInt32> unique;
    private final Operand<TInt32> count;

    private TouchedRows(Unique<TInt32, TInt32> unique, Operand<TInt32> count) {
        this.unique = unique;
        this.count = count;
    }

    static TouchedRows of(Ops tf, Operand<TInt32> rows) {
        Unique<TInt32, TInt32> unique = tf.unique(tf.reshape(rows, tf.constant(new int[] {-1})),
                tf.constant(new int[] {0}));
        return new TouchedRows(unique, tf.size(unique.y()));
    }

    /** The distinct rows [U]. */
    Operand<TInt32> rows() {
        return unique.y();
    }

    /** Sums per-occurrence gradients into one gradient per touched row: [B, S, W] to [U, W]. */
    Operand<TFloat32> sum(Ops tf, Operand<TFloat32> perOccurrence, int width) {
        return tf.math.unsortedSegmentSum(flat(tf, perOccurrence, width), unique.idx(), count);
    }

    /**
     * The touched rows' values [U, W] from a per-occurrence gather [B, S, W]: all occurrences of a
     * row hold the same values, so their maximum is the row, and no second gather is needed.
     */
    Operand<TFloat32> values(Ops tf, Operand<TFloat32> gathered, int width) {
        return tf.math.unsortedSegmentMax(flat(tf, gathered, width), unique.idx(), count);
    }

    private static Operand<TFloat32> flat(Ops tf, Operand<TFloat32> perOccurrence, int width) {
        return tf.reshape(perOccurrence, tf.constant(new int[] {-1, width}));
    }
}
