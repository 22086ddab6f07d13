package dev.streamfm.model;

/**
 * A model variable or optimizer slot. Row-addressable ones (tables indexed by feature row)
 * can be read and written by row, so checkpoints and replicas move only the rows that changed.
 *
 * @param optimizerSlot optimizer state (accumulators, moments): a trainer restores it, inference
 *                      never reads it
 */
public record VariableInfo(String name, long[] shape, LayerKind kind, boolean rowAddressable, boolean optimizerSlot) {

    public long elements() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    /** Elements per row: the product of all dimensions but the first. */
    public int rowWidth() {
        long n = 1;
        for (int i = 1; i < shape.length; i++) {
            n *= shape[i];
        }
        return (int) n;
    }
}
