package dev.streamfm.model.tf;

import dev.streamfm.features.FeatureLayout;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Sums the input slots of each field, so a multi-valued field yields one field embedding. Skipped
 * when every field has exactly one slot, in field order.
 */
final class SlotPooling {

    private static final int[] SWAP_BATCH_AND_SLOT = {1, 0, 2};

    private final int[] fieldOfSlot;
    private final int fields;
    private final boolean identity;

    private SlotPooling(int[] fieldOfSlot, int fields) {
        this.fieldOfSlot = fieldOfSlot.clone();
        this.fields = fields;
        boolean same = fieldOfSlot.length == fields;
        for (int s = 0; same && s < fieldOfSlot.length; s++) {
            same = fieldOfSlot[s] == s;
        }
        this.identity = same;
    }

    static SlotPooling of(FeatureLayout layout) {
        return new SlotPooling(layout.fieldOfSlot(), layout.fields());
    }

    /** [B, slots, W] to [B, fields, W]. */
    Operand<TFloat32> pool(Ops tf, Operand<TFloat32> perSlot) {
        if (identity) {
            return perSlot;
        }
        // segment sums run over the first axis, so slots go first and come back
        Operand<TFloat32> slotsFirst = tf.linalg.transpose(perSlot, tf.constant(SWAP_BATCH_AND_SLOT));
        Operand<TFloat32> fieldsFirst = tf.math.unsortedSegmentSum(slotsFirst, tf.constant(fieldOfSlot),
                tf.constant(fields));
        return tf.linalg.transpose(fieldsFirst, tf.constant(SWAP_BATCH_AND_SLOT));
    }
}
