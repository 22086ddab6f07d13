package dev.streamfm.model.tf;

import dev.streamfm.features.FeatureBatch;
import dev.streamfm.features.FeatureLayout;
import dev.streamfm.model.ModelConfig;
import dev.streamfm.model.ModelType;
import dev.streamfm.model.SparseOptimizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Tiny layouts, configs and random batches for the model tests. */
final class Fixtures {

    private Fixtures() {
    }

    static FeatureLayout singleSlot(int fields, int rowsPerField) {
        List<String> names = new ArrayList<>();
        int[] rows = new int[fields];
        for (int f = 0; f < fields; f++) {
            names.add("f" + f);
            rows[f] = rowsPerField;
        }
        return FeatureLayout.singleSlot(names, rows);
    }

    /** Field f has {@code slotsPerField[f]} slots, laid out field after field. */
    static FeatureLayout multiSlot(int[] slotsPerField, int rowsPerField) {
        List<String> names = new ArrayList<>();
        List<Integer> fieldOfSlot = new ArrayList<>();
        int[] offsets = new int[slotsPerField.length];
        int[] rows = new int[slotsPerField.length];
        for (int f = 0; f < slotsPerField.length; f++) {
            names.add("f" + f);
            offsets[f] = f * rowsPerField;
            rows[f] = rowsPerField;
            for (int s = 0; s < slotsPerField[f]; s++) {
                fieldOfSlot.add(f);
            }
        }
        return new FeatureLayout(names, fieldOfSlot.stream().mapToInt(Integer::intValue).toArray(), offsets, rows);
    }

    static ModelConfig config(ModelType type, int dim, List<Integer> hidden, boolean batchNorm, double dropout,
                              double l2, double initStddev) {
        return ModelConfig.builder(type).sizes(dim, hidden).batchNorm(batchNorm).dropout(dropout)
                .optimizer(SparseOptimizer.ADAGRAD).embeddingLr(0.05).denseLr(0.01).l2(l2).initAccumulator(0.1)
                .initStddev(initStddev).seed(7L).build();
    }

    static ModelConfig withOptimizer(ModelConfig c, SparseOptimizer optimizer, double l1) {
        return c.toBuilder().optimizer(optimizer).l1(l1).build();
    }

    /** Random rows within each slot's field; values 1, or uniform in [0.5, 1.5) when {@code randomValues}. */
    static FeatureBatch batch(FeatureLayout layout, int size, Random random, boolean randomValues) {
        int slots = layout.slots();
        int[] rows = new int[size * slots];
        float[] values = new float[size * slots];
        for (int b = 0; b < size; b++) {
            for (int s = 0; s < slots; s++) {
                int f = layout.fieldOfSlot()[s];
                rows[b * slots + s] = layout.fieldOffset()[f] + random.nextInt(layout.fieldRows()[f]);
                values[b * slots + s] = randomValues ? 0.5f + random.nextFloat() : 1f;
            }
        }
        return new FeatureBatch(size, slots, rows, values);
    }

    /** Every example reads rows no other example reads (needs rowsPerField >= size * slots of the field). */
    static FeatureBatch distinctRowsBatch(FeatureLayout layout, int size) {
        int slots = layout.slots();
        int[] rows = new int[size * slots];
        int[] next = layout.fieldOffset().clone();
        for (int b = 0; b < size; b++) {
            for (int s = 0; s < slots; s++) {
                rows[b * slots + s] = next[layout.fieldOfSlot()[s]]++;
            }
        }
        return FeatureBatch.ofRows(size, slots, rows);
    }

    static float[] labels(int size, Random random) {
        float[] y = new float[size];
        for (int i = 0; i < size; i++) {
            y[i] = random.nextBoolean() ? 1f : 0f;
        }
        return y;
    }

    static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }
}
