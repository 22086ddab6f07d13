package dev.streamfm.model.tf;

import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Field outputs [B, F, W] that one part of the model reads (a tower, named by its label "fm",
 * "dnn", "cin" or "attention", or "linear" for LR), with the gradient of the objective at them (of
 * the batch mean, like every graph gradient).
 */
record FieldPath(String name, Operand<TFloat32> output, Operand<TFloat32> gradient) {

    static final String LINEAR = "linear";
    /** The field embeddings both towers of a shared-table DeepFM read, before the split. */
    static final String SHARED = "shared";
}
