package dev.streamfm.model.tf;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * What a run feeds: table rows and slot values [B x slots], labels [B], and the step. The step is
 * kept in Java and fed, so Adam's bias correction and the dropout seed replay exactly after an
 * import.
 */
record ModelInputs(Placeholder<TInt32> rows, Placeholder<TFloat32> values, Placeholder<TFloat32> labels,
                   Placeholder<TInt64> step, Operand<TFloat32> batchSize) {

    static ModelInputs create(Ops tf, int slots) {
        Ops in = tf.withSubScope("input");
        Placeholder<TInt32> rows = in.withName("rows").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, slots)));
        Placeholder<TFloat32> values = in.withName("values")
                .placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, slots)));
        Placeholder<TFloat32> labels = in.withName("labels").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
        Placeholder<TInt64> step = in.withName("step").placeholder(TInt64.class, Placeholder.shape(Shape.scalar()));
        Operand<TInt32> b = tf.gather(tf.shape(rows), tf.constant(0), tf.constant(0));
        return new ModelInputs(rows, values, labels, step, tf.dtypes.cast(b, TFloat32.class));
    }
}
