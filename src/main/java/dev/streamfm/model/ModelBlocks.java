package dev.streamfm.model;

import dev.streamfm.schema.ModelBlock;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * The checkpoint format: every variable cut into blocks of rows. Row-addressable tables are
 * written only in the blocks that hold a row changed since the last checkpoint, so a step that
 * touched a few thousand ids moves a few blocks, not the table; dense variables are small and
 * always written whole. A block always carries all its rows, so the compacted model topic keeps
 * exactly one current copy of every block.
 */
public final class ModelBlocks {

    private ModelBlocks() {
    }

    /** The compaction key of a block. */
    public static String key(String model, String variable, int block) {
        return model + "/" + variable + "/" + block;
    }

    /**
     * Blocks holding the changes since the last checkpoint.
     *
     * @param dirtyRows table rows touched since the last checkpoint; null = every row (a full checkpoint)
     */
    public static List<ModelBlock> changed(Model model, String modelName, BitSet dirtyRows, int blockRows,
                                           long writtenAt) {
        List<ModelBlock> out = new ArrayList<>();
        for (VariableInfo v : model.variables()) {
            long rows = v.shape().length == 0 ? 1 : v.shape()[0];
            int blocks = (int) ((rows + blockRows - 1) / blockRows);
            for (int b = 0; b < blocks; b++) {
                int first = b * blockRows;
                int last = (int) Math.min(rows, (long) first + blockRows);
                if (v.rowAddressable() && dirtyRows != null) {
                    int next = dirtyRows.nextSetBit(first);
                    if (next < 0 || next >= last) {
                        continue;
                    }
                }
                out.add(block(model, modelName, v, b, first, last, writtenAt));
            }
        }
        return out;
    }

    private static ModelBlock block(Model model, String modelName, VariableInfo v, int block, int first, int last,
                                    long writtenAt) {
        int[] rows = new int[last - first];
        Arrays.setAll(rows, i -> first + i);
        float[] values = model.readRows(v.name(), rows);
        ByteBuffer buf = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(values);
        List<Long> shape = new ArrayList<>();
        for (long d : v.shape()) {
            shape.add(d);
        }
        return ModelBlock.newBuilder().setModel(modelName).setVariable(v.name()).setBlock(block)
                .setFirstRow(first).setShape(shape).setValues(buf).setVersion(model.step())
                .setWrittenAt(java.time.Instant.ofEpochMilli(writtenAt)).build();
    }

    /** Writes a block's rows into a model; the step is left to the caller. */
    public static void apply(Model model, ModelBlock block) {
        ByteBuffer bytes = block.getValues().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[bytes.remaining() / Float.BYTES];
        bytes.asFloatBuffer().get(values);
        VariableInfo info = model.variables().stream().filter(v -> v.name().equals(block.getVariable())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("model block for unknown variable "
                        + block.getVariable() + ": the trainer runs a different model configuration"));
        int width = info.rowWidth();
        if (values.length % width != 0) {
            throw new IllegalArgumentException("model block " + key(block.getModel(), block.getVariable(),
                    block.getBlock()) + " has " + values.length + " values, not a multiple of the row width " + width);
        }
        int[] rows = new int[values.length / width];
        Arrays.setAll(rows, i -> (int) block.getFirstRow() + i);
        model.writeRows(block.getVariable(), rows, values);
    }
}
