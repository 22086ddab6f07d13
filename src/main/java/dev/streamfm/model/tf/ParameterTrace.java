package dev.streamfm.model.tf;

import dev.streamfm.model.LayerKind;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * A trainable variable as one step sees it: its values before the update, the gradient, and the
 * change the update made. For dense variables the whole tensor; for tables the rows the batch
 * touched, in the order of {@link TouchedRows#rows()}.
 */
record ParameterTrace(String name, LayerKind kind, Operand<TFloat32> before, Operand<TFloat32> gradient,
                      Operand<TFloat32> delta) {
}
