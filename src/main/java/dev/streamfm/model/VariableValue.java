package dev.streamfm.model;

/** The values of one variable, row-major float32. */
public record VariableValue(String name, long[] shape, float[] values) {
}
