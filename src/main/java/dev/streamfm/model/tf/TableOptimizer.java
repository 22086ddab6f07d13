package dev.streamfm.model.tf;

import dev.streamfm.model.ModelConfig;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Updates the rows of a table a batch touched (and the bias, a one-row table every example
 * touches); its slots are created with the update.
 */
interface TableOptimizer {

    /**
     * Creates the table's slots and the update of {@code rows}.
     *
     * @param rowGradients one per-example gradient per touched row (summed over the batch), [U, W]
     */
    AppliedUpdate apply(Ops tf, TfVariable table, Operand<TFloat32> rowGradients, Operand<TInt32> rows);

    static TableOptimizer of(Ops tf, VariableIO vars, ModelConfig config) {
        return switch (config.optimizer()) {
            case ADAGRAD -> new SparseAdagrad(tf, vars, config.embeddingLr(), config.initAccumulator());
            case FTRL -> new SparseFtrl(tf, vars, config.embeddingLr(), config.initAccumulator(), config.l1());
        };
    }
}
