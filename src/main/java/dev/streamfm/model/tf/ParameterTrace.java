package dev.streamfm.model.tf;

import dev.streamfm.model.LayerKind;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * A trainable variable as one step sees it. For dense variables the whole tensor; for tables the
 * rows the batch touched, in the order of {@link TouchedRows#rows()}. {@code after} is read once
 * the update has run.
 */
record ParameterTrace(String name, LayerKind kind, Operand<TFloat32> before, Operand<TFloat32> gradient,
                      Operand<TFloat32> after) {
}
