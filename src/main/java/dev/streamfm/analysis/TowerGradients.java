package dev.streamfm.analysis;

/**
 * The gradients that the FM and the DNN tower send into each field's embedding output, reduced
 * over the embedding dimension in the graph but kept per example, so that per-field totals
 * (sum over the batch) and per-category figures (grouped by the example's value of one field)
 * both derive from the same three arrays. All arrays are row-major [batchSize x fields].
 *
 * @param dot             per example and field: sum_d g_fm[d] * g_dnn[d]
 * @param fmNormSq        per example and field: sum_d g_fm[d]^2
 * @param dnnNormSq       per example and field: sum_d g_dnn[d]^2
 * @param sharedEmbedding false for a decoupled model, whose FM and DNN read separate tables
 */
public record TowerGradients(int batchSize, int fields, float[] dot, float[] fmNormSq, float[] dnnNormSq,
                             boolean sharedEmbedding) {

    public TowerGradients {
        int n = batchSize * fields;
        if (dot.length != n || fmNormSq.length != n || dnnNormSq.length != n) {
            throw new IllegalArgumentException("tower gradient arrays need batchSize*fields = " + n + " entries");
        }
    }

    /** <G_fm, G_dnn> of field f over the whole batch. */
    public double fieldDot(int f) {
        return sumOverBatch(dot, f);
    }

    /** |G_fm|^2 of field f over the whole batch. */
    public double fieldFmNormSq(int f) {
        return sumOverBatch(fmNormSq, f);
    }

    /** |G_dnn|^2 of field f over the whole batch. */
    public double fieldDnnNormSq(int f) {
        return sumOverBatch(dnnNormSq, f);
    }

    private double sumOverBatch(float[] a, int f) {
        double s = 0;
        for (int b = 0; b < batchSize; b++) {
            s += a[b * fields + f];
        }
        return s;
    }
}
