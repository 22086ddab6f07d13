package dev.streamfm.model;

import dev.streamfm.schema.ModelBlock;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The checkpoint format: every variable cut into blocks of rows. Row-addressable tables are
 * written only in the blocks that hold a row changed since the last checkpoint, so a step that
 * touched a few thousand ids moves a few blocks, not the table; dense variables are small and
 * always written whole. A block always carries all its rows, so the compacted model topic keeps
 * exactly one current copy of every block. Reads and writes go one TensorFlow call per
 * variable, not per block, which would dominate a checkpoint.
 */
public final class ModelBlocks {

    /** Largest values payload of one block. */
    static final int MAX_BLOCK_BYTES = 512 * 1024;

    private ModelBlocks() {
    }

    /** The compaction key of a block. */
    public static String key(String model, String variable, int block) {
        return model + "/" + variable + "/" + block;
    }

    /**
     * Blocks holding the changes since the last checkpoint.
     *
     * @param fingerprint what the parameters mean ({@link ModelFingerprint})
     * @param dirtyRows   table rows touched since the last checkpoint; null = every row (a full checkpoint)
     */
    public static List<ModelBlock> changed(Model model, String modelName, long fingerprint, BitSet dirtyRows,
                                           int blockRows, long writtenAt) {
        List<ModelBlock> out = new ArrayList<>();
        for (VariableInfo v : model.variables()) {
            long rows = v.shape().length == 0 ? 1 : v.shape()[0];
            int perBlock = rowsPerBlock(v, blockRows);
            int blocks = (int) ((rows + perBlock - 1) / perBlock);
            List<int[]> chosen = new ArrayList<>();
            int rowCount = 0;
            for (int b = 0; b < blocks; b++) {
                int first = b * perBlock;
                int last = (int) Math.min(rows, (long) first + perBlock);
                if (v.rowAddressable() && dirtyRows != null) {
                    int next = dirtyRows.nextSetBit(first);
                    if (next < 0 || next >= last) {
                        continue;
                    }
                }
                chosen.add(new int[]{b, first, last});
                rowCount += last - first;
            }
            if (chosen.isEmpty()) {
                continue;
            }
            int[] ids = new int[rowCount];
            int n = 0;
            for (int[] c : chosen) {
                for (int r = c[1]; r < c[2]; r++) {
                    ids[n++] = r;
                }
            }
            float[] values = model.readRows(v.name(), ids);
            int width = v.rowWidth();
            int offset = 0;
            for (int[] c : chosen) {
                int length = (c[2] - c[1]) * width;
                out.add(block(model, modelName, v, c[0], c[1], values, offset, length, writtenAt)
                        .setFingerprint(fingerprint).build());
                offset += length;
            }
        }
        return out;
    }

    /**
     * Rows per block of a variable: blockRows, fewer for a wide variable (a hidden layer of 1024
     * units makes 1 MB at 256 rows), so that every block fits the broker's default 1 MB message
     * limit with room to spare.
     */
    static int rowsPerBlock(VariableInfo v, int blockRows) {
        return Math.max(1, Math.min(blockRows, MAX_BLOCK_BYTES / (v.rowWidth() * Float.BYTES)));
    }

    private static ModelBlock.Builder block(Model model, String modelName, VariableInfo v, int block, int first,
                                            float[] values, int from, int length, long writtenAt) {
        ByteBuffer buf = ByteBuffer.allocate(length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(values, from, length);
        List<Long> shape = new ArrayList<>();
        for (long d : v.shape()) {
            shape.add(d);
        }
        return ModelBlock.newBuilder().setModel(modelName).setVariable(v.name()).setBlock(block)
                .setFirstRow(first).setShape(shape).setValues(buf).setVersion(model.step())
                .setWrittenAt(Instant.ofEpochMilli(writtenAt));
    }

    /**
     * The blocks of one checkpoint, each told how many blocks make up its version and the
     * trainer's online AUC and log loss over {@code examples} examples (NaN = not measured), which a
     * scorer's quality gate judges the version by (README, "Model quality gate").
     */
    public static List<ModelBlock> withQuality(List<ModelBlock> blocks, double auc, double logloss, long examples) {
        List<ModelBlock> out = new ArrayList<>(blocks.size());
        for (ModelBlock b : blocks) {
            out.add(ModelBlock.newBuilder(b).setVersionBlocks(blocks.size())
                    .setOnlineAuc(Double.isFinite(auc) ? auc : null)
                    .setOnlineLogloss(Double.isFinite(logloss) ? logloss : null)
                    .setQualityExamples(Double.isFinite(auc) && Double.isFinite(logloss) ? examples : 0).build());
        }
        return out;
    }

    /**
     * True when {@code b} was written for a model of this fingerprint, or by a writer from before
     * blocks carried one (fingerprint 0, judged by its shapes instead).
     */
    public static boolean writtenFor(ModelBlock b, long fingerprint) {
        return b.getFingerprint() == 0 || b.getFingerprint() == fingerprint;
    }

    /**
     * The variables of {@code model} whose rows the blocks do not all cover, each with the number
     * of rows missing: empty when applying the blocks sets every parameter and optimizer slot.
     */
    public static Map<String, Long> uncovered(Model model, List<ModelBlock> blocks) {
        Map<String, BitSet> covered = new HashMap<>();
        for (ModelBlock b : blocks) {
            VariableInfo v = info(model, b.getVariable());
            int rows = b.getValues().remaining() / (v.rowWidth() * Float.BYTES);
            covered.computeIfAbsent(v.name(), k -> new BitSet()).set((int) b.getFirstRow(),
                    (int) b.getFirstRow() + rows);
        }
        Map<String, Long> out = new LinkedHashMap<>();
        for (VariableInfo v : model.variables()) {
            long rows = v.shape().length == 0 ? 1 : v.shape()[0];
            BitSet c = covered.get(v.name());
            long missing = rows - (c == null ? 0 : c.get(0, (int) rows).cardinality());
            if (missing > 0) {
                out.put(v.name(), missing);
            }
        }
        return out;
    }

    /** Why a block cannot be applied to a model: a low-cardinality reason and a message for operators. */
    public record Refusal(String reason, String message) {
    }

    /**
     * Why this block must not be applied to this model, or null when it can: written for another
     * spec or configuration (a foreign fingerprint; 0, from a writer before fingerprints, is
     * accepted when the shapes fit), an unknown variable, another shape, or values that do not
     * fill whole rows inside the variable.
     */
    public static Refusal refusal(Model model, long fingerprint, ModelBlock b) {
        String key = key(b.getModel(), b.getVariable(), b.getBlock());
        if (!writtenFor(b, fingerprint)) {
            return new Refusal("foreign_model", String.format("block %s was written for model fingerprint %016x, "
                    + "this scorer's is %016x: the trainer runs another feature spec or model configuration; run "
                    + "both with the same ones", key, b.getFingerprint(), fingerprint));
        }
        VariableInfo v = model.variables().stream().filter(x -> x.name().equals(b.getVariable())).findFirst()
                .orElse(null);
        if (v == null) {
            return new Refusal("unknown_variable", "block " + key + " is of variable " + b.getVariable()
                    + ", which this model does not have: the trainer runs another model type");
        }
        List<Long> shape = new ArrayList<>();
        for (long d : v.shape()) {
            shape.add(d);
        }
        if (!shape.equals(b.getShape())) {
            return new Refusal("wrong_shape", "block " + key + " has shape " + b.getShape() + ", this model's "
                    + b.getVariable() + " is " + shape + ": the trainer runs other sizes");
        }
        long rows = v.shape().length == 0 ? 1 : v.shape()[0];
        int bytes = b.getValues().remaining();
        long rowBytes = (long) v.rowWidth() * Float.BYTES;
        if (bytes == 0 || bytes % rowBytes != 0 || b.getFirstRow() < 0 || b.getFirstRow() + bytes / rowBytes > rows) {
            return new Refusal("corrupt_values", "block " + key + " holds " + bytes + " bytes from row "
                    + b.getFirstRow() + ", not whole rows of " + rowBytes + " bytes within the " + rows + " rows");
        }
        return null;
    }

    /**
     * Writes blocks into a model, one call per variable; where two blocks cover the same rows the
     * later one in the list wins. The step is left to the caller.
     */
    public static void applyAll(Model model, List<ModelBlock> blocks) {
        Map<String, Map<Integer, ModelBlock>> byVariable = new LinkedHashMap<>();
        for (ModelBlock b : blocks) {
            byVariable.computeIfAbsent(b.getVariable(), k -> new TreeMap<>()).put(b.getBlock(), b);
        }
        for (Map.Entry<String, Map<Integer, ModelBlock>> e : byVariable.entrySet()) {
            int width = info(model, e.getKey()).rowWidth();
            List<float[]> parts = new ArrayList<>();
            int rowCount = 0;
            for (ModelBlock b : e.getValue().values()) {
                float[] v = floats(b, width);
                parts.add(v);
                rowCount += v.length / width;
            }
            int[] rows = new int[rowCount];
            float[] values = new float[rowCount * width];
            int n = 0;
            int i = 0;
            for (ModelBlock b : e.getValue().values()) {
                float[] v = parts.get(i++);
                int count = v.length / width;
                for (int r = 0; r < count; r++) {
                    rows[n + r] = (int) b.getFirstRow() + r;
                }
                System.arraycopy(v, 0, values, n * width, v.length);
                n += count;
            }
            model.writeRows(e.getKey(), rows, values);
        }
    }

    private static VariableInfo info(Model model, String variable) {
        return model.variables().stream().filter(v -> v.name().equals(variable)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("model block for unknown variable " + variable
                        + ": the trainer runs a different model configuration"));
    }

    private static float[] floats(ModelBlock block, int width) {
        ByteBuffer bytes = block.getValues().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[bytes.remaining() / Float.BYTES];
        bytes.asFloatBuffer().get(values);
        if (values.length % width != 0) {
            throw new IllegalArgumentException("model block " + key(block.getModel(), block.getVariable(),
                    block.getBlock()) + " has " + values.length + " values, not a multiple of the row width " + width);
        }
        return values;
    }
}
