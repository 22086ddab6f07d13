package dev.streamfm.report;

import dev.streamfm.analysis.TowerGradients;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How large the gradients are that each field's embedding receives at one step: per field, the
 * root mean square over the batch of the per-example gradient norm, along the FM path, along the
 * DNN path and, for a shared table, of their sum (what the table's row is updated with).
 *
 * <p>A decoupled model has no sum: its FM path is the gradient of its own FM table and its DNN
 * path that of the DNN's table, and {@link #byTable()} reports the two tables apart.
 *
 * @param shared  whether the FM and the DNN read one table
 * @param fmPath  per field, RMS of |g_fm|
 * @param dnnPath per field, RMS of |g_dnn|
 * @param sum     per field, RMS of |g_fm + g_dnn|
 */
public record EmbeddingGradients(boolean shared, double[] fmPath, double[] dnnPath, double[] sum) {

    /** The shared table, or the DNN's table of a decoupled model (the model's variable names). */
    public static final String TABLE = "embedding";
    /** The FM's own table of a decoupled model. */
    public static final String FM_TABLE = "fm_embedding";

    public static EmbeddingGradients of(TowerGradients t) {
        int fields = t.fields();
        double[] fm = new double[fields];
        double[] dnn = new double[fields];
        double[] sum = new double[fields];
        for (int b = 0; b < t.batchSize(); b++) {
            for (int f = 0; f < fields; f++) {
                int i = b * fields + f;
                fm[f] += t.firstNormSq()[i];
                dnn[f] += t.secondNormSq()[i];
                sum[f] += (double) t.firstNormSq()[i] + t.secondNormSq()[i] + 2.0 * t.dot()[i];
            }
        }
        for (int f = 0; f < fields; f++) {
            fm[f] = rms(fm[f], t.batchSize());
            dnn[f] = rms(dnn[f], t.batchSize());
            sum[f] = rms(sum[f], t.batchSize());
        }
        return new EmbeddingGradients(t.sharedEmbedding(), fm, dnn, sum);
    }

    /** Per embedding table, the per-field figures of the gradient it is updated with. */
    public Map<String, double[]> byTable() {
        Map<String, double[]> tables = new LinkedHashMap<>();
        if (shared) {
            tables.put(TABLE, sum);
        } else {
            tables.put(FM_TABLE, fmPath);
            tables.put(TABLE, dnnPath);
        }
        return tables;
    }

    /** Float rounding can leave a tiny negative |g_fm + g_dnn|^2 where the two paths cancel. */
    private static double rms(double sumOfSquares, int batchSize) {
        return batchSize == 0 ? 0 : Math.sqrt(Math.max(0, sumOfSquares) / batchSize);
    }
}
