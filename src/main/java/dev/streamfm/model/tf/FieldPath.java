package dev.streamfm.model.tf;

import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Field outputs [B, F, W] that one part of the model reads ("fm", "dnn", or "linear" for LR),
 * with the gradient of the objective at them (of the batch mean, like every graph gradient).
 */
record FieldPath(String name, Operand<TFloat32> output, Operand<TFloat32> gradient) {

    static final String FM = "fm";
    static final String DNN = "dnn";
    static final String LINEAR = "linear";
}
