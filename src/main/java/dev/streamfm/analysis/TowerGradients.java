package dev.streamfm.analysis;

/**
 * The gradients that two towers send into each field's embedding output, reduced over the
 * embedding dimension in the graph but kept per example, so that per-field totals (sum over the
 * batch) and per-category figures (grouped by the example's value of one field) both derive from
 * the same three arrays. All arrays are row-major [batchSize x fields].
 *
 * @param first           the first tower of the pair ("fm" in the FM-DNN pair)
 * @param second          the second tower ("dnn"); dominance is |G_second| / |G_first|
 * @param dot             per example and field: sum_d g_first[d] * g_second[d]
 * @param firstNormSq     per example and field: sum_d g_first[d]^2
 * @param secondNormSq    per example and field: sum_d g_second[d]^2
 * @param sharedEmbedding false for a decoupled model, whose towers read separate tables
 */
public record TowerGradients(String first, String second, int batchSize, int fields, float[] dot,
                             float[] firstNormSq, float[] secondNormSq, boolean sharedEmbedding) {

    public TowerGradients {
        int n = batchSize * fields;
        if (dot.length != n || firstNormSq.length != n || secondNormSq.length != n) {
            throw new IllegalArgumentException("tower gradient arrays need batchSize*fields = " + n + " entries");
        }
    }

    /** The label of the pair in metrics and reports: "fm-dnn", "cin-dnn", ... */
    public String pair() {
        return first + "-" + second;
    }

    /** <G_first, G_second> of field f over the whole batch. */
    public double fieldDot(int f) {
        return sumOverBatch(dot, f);
    }

    /** |G_first|^2 of field f over the whole batch. */
    public double fieldFirstNormSq(int f) {
        return sumOverBatch(firstNormSq, f);
    }

    /** |G_second|^2 of field f over the whole batch. */
    public double fieldSecondNormSq(int f) {
        return sumOverBatch(secondNormSq, f);
    }

    private double sumOverBatch(float[] a, int f) {
        double s = 0;
        for (int b = 0; b < batchSize; b++) {
            s += a[b * fields + f];
        }
        return s;
    }
}
