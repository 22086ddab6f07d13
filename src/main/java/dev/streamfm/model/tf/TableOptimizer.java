package dev.streamfm.model.tf;

import dev.streamfm.model.ModelConfig;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Updates the rows of a table a batch touched (and the bias, a one-row table every example
 * touches); its slots are created with the update. The step applies the row's gradient summed
 * over the batch; what the accumulator adds is either that gradient's square (the fused TF op) or
 * the squares the caller gives, the sum of the row's per-example ones
 * ({@link dev.streamfm.model.SquaredGradients}; README, "Defaults and why").
 */
interface TableOptimizer {

    /**
     * Creates the table's slots and the update of {@code rows}; the accumulator adds the square of
     * {@code rowGradients}.
     *
     * @param rowGradients one per-example gradient per touched row (summed over the batch), [U, W]
     */
    AppliedUpdate apply(Ops tf, TfVariable table, Operand<TFloat32> rowGradients, Operand<TInt32> rows);

    /**
     * Creates the table's slots and the update of {@code rows}; the accumulator adds
     * {@code rowSquares} instead of the square of {@code rowGradients}.
     *
     * @param rowGradients one per-example gradient per touched row (summed over the batch), [U, W]
     * @param rowSquares   per touched row the sum over its occurrences of the squared per-example gradient, [U, W]
     */
    AppliedUpdate apply(Ops tf, TfVariable table, Operand<TFloat32> rowGradients, Operand<TFloat32> rowSquares,
                        Operand<TInt32> rows);

    static TableOptimizer of(Ops tf, VariableIO vars, ModelConfig config) {
        return switch (config.optimizer()) {
            case ADAGRAD -> new SparseAdagrad(tf, vars, config.embeddingLr(), config.initAccumulator());
            case FTRL -> new SparseFtrl(tf, vars, config.embeddingLr(), config.initAccumulator(), config.l1());
        };
    }
}
