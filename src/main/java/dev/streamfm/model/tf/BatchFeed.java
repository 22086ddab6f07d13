package dev.streamfm.model.tf;

import dev.streamfm.features.FeatureBatch;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;

/** The input tensors of one run; the runner never closes fed tensors, this does. */
final class BatchFeed implements AutoCloseable {

    private final Map<Operand<?>, Tensor> tensors = new LinkedHashMap<>();

    private BatchFeed() {
    }

    /** Rows and values: what a prediction needs. */
    static BatchFeed features(ModelInputs in, FeatureBatch batch) {
        BatchFeed feed = new BatchFeed();
        return feed.with(() -> {
            feed.put(in.rows(), Tensors.ints(batch.rows(), batch.size(), batch.slots()));
            feed.put(in.values(), Tensors.floats(batch.values(), batch.size(), batch.slots()));
        });
    }

    /** Rows, values, labels and the step: what a training step (or a probe) needs. */
    static BatchFeed training(ModelInputs in, FeatureBatch batch, float[] labels, long step) {
        BatchFeed feed = features(in, batch);
        return feed.with(() -> {
            feed.put(in.labels(), Tensors.floats(labels, labels.length));
            feed.put(in.step(), Tensors.scalar(step));
        });
    }

    Session.Runner feed(Session.Runner runner) {
        tensors.forEach(runner::feed);
        return runner;
    }

    @Override
    public void close() {
        tensors.values().forEach(Tensor::close);
    }

    private void put(Operand<?> placeholder, Tensor tensor) {
        tensors.put(placeholder, tensor);
    }

    /** Runs {@code fill}; if it fails, closes what was already allocated. */
    private BatchFeed with(Runnable fill) {
        try {
            fill.run();
            return this;
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }
}
