package dev.streamfm.model.tf;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ResourceGather;
import org.tensorflow.types.TFloat32;

/**
 * Reads one table for a batch: the rows of every slot [B, slots, W] (the tensor the sparse
 * gradient is taken at), scaled by the slot values and pooled into fields [B, F, W]. Only the
 * gathered rows are read, never the whole table.
 */
record EmbeddingLookup(TfVariable table, ResourceGather<TFloat32> rows, Operand<TFloat32> fields) {

    static EmbeddingLookup build(Ops tf, TfVariable table, ModelInputs in, SlotPooling pooling) {
        ResourceGather<TFloat32> rows = tf.resourceGather(table.handle(), in.rows(), TFloat32.class);
        Operand<TFloat32> scaled = tf.math.mul(rows, tf.expandDims(in.values(), tf.constant(-1)));
        return new EmbeddingLookup(table, rows, pooling.pool(tf, scaled));
    }
}
