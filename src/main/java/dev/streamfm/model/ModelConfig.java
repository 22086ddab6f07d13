package dev.streamfm.model;

import java.util.List;

/**
 * Hyper-parameters of a model. Validated on construction so a bad value fails at start-up with
 * the name of the setting.
 *
 * @param type             model variant
 * @param embeddingDim     D, equal for every field (the FM term needs it)
 * @param hiddenUnits      DNN layer widths, e.g. [400, 400, 400]; ignored without a DNN
 * @param batchNorm        batch normalisation after each hidden linear layer
 * @param dropout          dropout rate of hidden layers in training, 0 = off
 * @param optimizer        optimizer of the embedding and first-order tables (Adagrad or FTRL-Proximal)
 * @param embeddingLr      learning rate of the table optimizer
 * @param denseLr          Adam learning rate of dense variables
 * @param l1               FTRL's L1 strength (ftrl only: rows whose |z| stays below it are exactly 0)
 * @param l2               L2 penalty on the embedding rows touched by a batch
 * @param initAccumulator  initial accumulator of the table optimizer
 * @param initStddev       standard deviation of the embedding initialisation
 * @param seed             seed of every random initialisation and of dropout (with the step)
 */
public record ModelConfig(ModelType type, int embeddingDim, List<Integer> hiddenUnits, boolean batchNorm,
                          double dropout, SparseOptimizer optimizer, double embeddingLr, double denseLr, double l1,
                          double l2, double initAccumulator, double initStddev, long seed) {

    public static final SparseOptimizer DEFAULT_OPTIMIZER = SparseOptimizer.ADAGRAD;
    public static final int MAX_EMBEDDING_DIM = 1024;
    public static final int MAX_HIDDEN_UNITS = 65536;
    public static final double DEFAULT_EMBEDDING_LR = 0.05;
    public static final double DEFAULT_DENSE_LR = 0.001;
    public static final double DEFAULT_L1 = 0.0;
    public static final double DEFAULT_L2 = 0.0;
    public static final double DEFAULT_INIT_ACCUMULATOR = 1.0;

    public ModelConfig {
        hiddenUnits = List.copyOf(hiddenUnits);
        require(embeddingDim >= 1 && embeddingDim <= MAX_EMBEDDING_DIM, "embedding-dim must be in 1.."
                + MAX_EMBEDDING_DIM + ", got " + embeddingDim);
        for (int h : hiddenUnits) {
            require(h >= 1 && h <= MAX_HIDDEN_UNITS, "hidden-units must be in 1.." + MAX_HIDDEN_UNITS + ", got "
                    + hiddenUnits);
        }
        require(dropout >= 0 && dropout < 1, "dropout must be in [0, 1), got " + dropout);
        require(embeddingLr > 0 && Double.isFinite(embeddingLr), "embedding-lr must be > 0 and finite, got "
                + embeddingLr);
        require(denseLr > 0 && Double.isFinite(denseLr), "dense-lr must be > 0 and finite, got " + denseLr);
        require(l1 >= 0, "l1 must be >= 0, got " + l1);
        require(l1 == 0 || optimizer == SparseOptimizer.FTRL, "l1 needs the ftrl optimizer, got " + optimizer.label());
        require(l2 >= 0, "l2 must be >= 0, got " + l2);
        require(initAccumulator > 0, "init-accumulator must be > 0, got " + initAccumulator);
        require(initStddev > 0, "init-stddev must be > 0, got " + initStddev);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("model config: " + message);
        }
    }

    /**
     * Defaults chosen on a real log (Frappe: one pass, then a holdout) and the synthetic shapes at
     * batch 256, checked on MovieLens-100k and iPinYou (README, "Defaults and why", has the figures).
     * Tables and the bias learn per example, so a rare id's first gradient is its example's, not
     * 1/256 of it. Per-example Adagrad is scale-free: a row's first step is about lr whatever its
     * gradient, so with 39 fields of first-seen ids (criteo-like) the FM term jumps and the model
     * diverges at lr 0.1. The initial accumulator 1 makes small first gradients take small steps
     * (lr * g / sqrt(1 + g^2)), which tames that while the linear weights, whose gradients are
     * near 1, still move by about lr / 2. A higher rate (0.1 to 0.4) gains FM and LR up to 0.01
     * AUC on Frappe but costs DeepFM 0.007 to 0.02 on frappe-like and more on criteo-like; 0.05
     * keeps DeepFM within 0.01 of Bayes-optimal on frappe-like. FTRL with l1 = 0 is Adagrad
     * without epsilon and measures the same; it is there for l1.
     */
    public static ModelConfig defaults(ModelType type, int embeddingDim, List<Integer> hiddenUnits) {
        return new ModelConfig(type, embeddingDim, hiddenUnits, false, 0.0, DEFAULT_OPTIMIZER, DEFAULT_EMBEDDING_LR,
                DEFAULT_DENSE_LR, DEFAULT_L1, DEFAULT_L2, DEFAULT_INIT_ACCUMULATOR, 0.01, 42L);
    }

    public ModelConfig withType(ModelType t) {
        return new ModelConfig(t, embeddingDim, hiddenUnits, batchNorm, dropout, optimizer, embeddingLr, denseLr, l1,
                l2, initAccumulator, initStddev, seed);
    }
}
