package dev.streamfm.model.tf;

import dev.streamfm.features.FeatureBatch;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/** The input tensors of one run; the runner never closes fed tensors, this does. */
final class BatchFeed implements AutoCloseable {

    private final TInt32 rows;
    private final TFloat32 values;
    private final TFloat32 labels;
    private final TInt64 step;

    private BatchFeed(TInt32 rows, TFloat32 values, TFloat32 labels, TInt64 step) {
        this.rows = rows;
        this.values = values;
        this.labels = labels;
        this.step = step;
    }

    static BatchFeed features(FeatureBatch batch) {
        return new BatchFeed(rows(batch), values(batch), null, null);
    }

    static BatchFeed training(FeatureBatch batch, float[] labels, long step) {
        TInt32 rows = rows(batch);
        TFloat32 values = null;
        TFloat32 labelTensor = null;
        try {
            values = values(batch);
            labelTensor = Tensors.floats(labels, labels.length);
            return new BatchFeed(rows, values, labelTensor, Tensors.scalar(step));
        } catch (RuntimeException e) {
            rows.close();
            if (values != null) {
                values.close();
            }
            if (labelTensor != null) {
                labelTensor.close();
            }
            throw e;
        }
    }

    Session.Runner feed(Session.Runner runner, ModelInputs in) {
        runner.feed(in.rows(), rows).feed(in.values(), values);
        if (labels != null) {
            runner.feed(in.labels(), labels).feed(in.step(), step);
        }
        return runner;
    }

    @Override
    public void close() {
        rows.close();
        values.close();
        if (labels != null) {
            labels.close();
            step.close();
        }
    }

    private static TInt32 rows(FeatureBatch batch) {
        return Tensors.ints(batch.rows(), batch.size(), batch.slots());
    }

    private static TFloat32 values(FeatureBatch batch) {
        return Tensors.floats(batch.values(), batch.size(), batch.slots());
    }
}
