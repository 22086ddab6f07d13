package dev.streamfm.model.tf;

import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/** Java arrays to tensors and back. Callers close what these return. */
final class Tensors {

    private Tensors() {
    }

    static TInt32 ints(int[] data, long... shape) {
        return TInt32.tensorOf(Shape.of(shape), DataBuffers.of(data, true, false));
    }

    static TFloat32 floats(float[] data, long... shape) {
        return TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(data, true, false));
    }

    static TInt64 scalar(long value) {
        return TInt64.scalarOf(value);
    }

    static float[] floats(Tensor t) {
        float[] out = new float[Math.toIntExact(t.shape().size())];
        ((TFloat32) t).copyTo(DataBuffers.of(out, false, false));
        return out;
    }

    static int[] ints(Tensor t) {
        int[] out = new int[Math.toIntExact(t.shape().size())];
        ((TInt32) t).copyTo(DataBuffers.of(out, false, false));
        return out;
    }

    static float scalarFloat(Tensor t) {
        return ((TFloat32) t).getFloat();
    }
}
