package dev.streamfm.model;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Hyper-parameters of a model, built with {@link #builder(ModelType)}: the one place that knows
 * their defaults. Validated on construction so a bad value fails at start-up with the name of
 * the setting.
 *
 * @param type             model variant
 * @param towers           the towers the model has: the variant's, with its switchable ones switched as configured
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
 * @param squaredGradients what the table optimizer's accumulator adds: squares of summed or of per-example gradients
 * @param initStddev       standard deviation of the embedding initialisation
 * @param seed             seed of every random initialisation and of dropout (with the step)
 * @param cinLayers        feature maps per CIN layer, all but the last even (split-half); CIN only
 * @param attentionLayers  self-attention layers; attention only
 * @param attentionHeads   heads per self-attention layer, each D wide; attention only
 * @param feedback         how delayed labels reach the trainer, which sets the loss weighting
 * @param admission        which ids get table rows of their own, and when unused rows are taken back
 * @param sharing          how the towers use the field embeddings: one table, one with PCGrad, or one per tower
 * @param decoupling       when sharing {@code auto} gives a field separate rows per tower
 */
public record ModelConfig(ModelType type, Set<Tower> towers, int embeddingDim, List<Integer> hiddenUnits,
                          boolean batchNorm, double dropout, SparseOptimizer optimizer, double embeddingLr,
                          double denseLr, double l1, double l2, double initAccumulator,
                          SquaredGradients squaredGradients, double initStddev, long seed,
                          List<Integer> cinLayers, int attentionLayers, int attentionHeads,
                          DelayedFeedback feedback, AdmissionConfig admission, EmbeddingSharing sharing,
                          DecouplingRule decoupling) {

    public static final int MAX_EMBEDDING_DIM = 1024;
    public static final int MAX_HIDDEN_UNITS = 65536;

    /** Every default, for the default variant and a log file's sizes. */
    public static final ModelConfig DEFAULTS = builder(ModelType.DEFAULT).build();

    public ModelConfig {
        towers = towers.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(towers));
        hiddenUnits = List.copyOf(hiddenUnits);
        cinLayers = List.copyOf(cinLayers);
        String badTowers = type.checkTowers(towers);
        require(badTowers == null, "towers: " + badTowers);
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
        require(squaredGradients != null, "squared gradients must be set");
        require(initStddev > 0, "init-stddev must be > 0, got " + initStddev);
        require(!cinLayers.isEmpty(), "cin-layers needs at least one layer");
        for (int i = 0; i < cinLayers.size(); i++) {
            int h = cinLayers.get(i);
            require(h >= 1 && (i == cinLayers.size() - 1 || h % 2 == 0), "cin-layers must be positive and, but for "
                    + "the last, even (half of each goes on to the next layer), got " + cinLayers);
        }
        require(attentionLayers >= 1, "attention-layers must be >= 1, got " + attentionLayers);
        require(attentionHeads >= 1, "attention-heads must be >= 1, got " + attentionHeads);
        require(feedback != null, "delayed feedback must be set");
        require(admission != null, "admission must be set; AdmissionConfig.OFF turns it off");
        require(sharing != null, "embedding sharing must be set");
        require(decoupling != null, "the decoupling rule must be set");
        require(sharing == EmbeddingSharing.SHARED || towers.size() >= 2, "sharing " + sharing.label()
                + " needs two or more towers on the field embeddings; " + type.label() + " has "
                + (towers.isEmpty() ? "none" : ModelType.labels(towers)) + " (use shared)");
        require(type.sharing() != EmbeddingSharing.DECOUPLED || sharing == EmbeddingSharing.DECOUPLED,
                type.label() + " always has a table per tower; for one shared table use "
                        + ModelType.DEEPFM.label() + " with sharing " + sharing.label());
    }

    public ModelConfig withFeedback(DelayedFeedback f) {
        return toBuilder().feedback(f).build();
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("model config: " + message);
        }
    }

    public boolean has(Tower tower) {
        return towers.contains(tower);
    }

    /** A builder with every default, for {@code type}. */
    public static Builder builder(ModelType type) {
        return new Builder(type);
    }

    /** A builder holding this configuration's values. */
    public Builder toBuilder() {
        return new Builder(type).towers(towers).embeddingDim(embeddingDim).hiddenUnits(hiddenUnits)
                .batchNorm(batchNorm).dropout(dropout).optimizer(optimizer).embeddingLr(embeddingLr).denseLr(denseLr)
                .l1(l1).l2(l2).initAccumulator(initAccumulator).squaredGradients(squaredGradients)
                .initStddev(initStddev).seed(seed).cinLayers(cinLayers)
                .attentionLayers(attentionLayers).attentionHeads(attentionHeads).feedback(feedback)
                .admission(admission).sharing(sharing).decoupling(decoupling);
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
     * without epsilon and measures the same; it is there for l1. The accumulator adds per-example
     * squares for the bias and the first-order tables ({@link SquaredGradients#FIRST_ORDER}): with
     * the square of the summed gradient a weight read by k examples of a batch (the bias: all of
     * them) steps about as far per batch as per-example Adagrad does per example, and it gains
     * AUC on every synthetic shape; per-example squares for the embeddings too cost a real log's
     * DeepFM. Sizes (D 16, DNN 400-400-400) are those of a log file; a synthetic shape brings its
     * own ({@link Builder#sizes}). CIN 200-200-200 and 2 attention layers of 2 heads are the sizes
     * of the xDeepFM and AutoInt papers.
     */
    public static final class Builder {
        private ModelType type;
        private Set<Tower> towers;
        private int embeddingDim = 16;
        private List<Integer> hiddenUnits = List.of(400, 400, 400);
        private boolean batchNorm;
        private double dropout;
        private SparseOptimizer optimizer = SparseOptimizer.ADAGRAD;
        private double embeddingLr = 0.05;
        private double denseLr = 0.001;
        private double l1;
        private double l2;
        private double initAccumulator = 1.0;
        private SquaredGradients squaredGradients = SquaredGradients.FIRST_ORDER;
        private double initStddev = 0.01;
        private long seed = 42L;
        private List<Integer> cinLayers = List.of(200, 200, 200);
        private int attentionLayers = 2;
        private int attentionHeads = 2;
        private DelayedFeedback feedback = DelayedFeedback.WINDOW;
        /** Off: on the real Frappe log every setting tried cost holdout AUC (README, Feature admission and expiry). */
        private AdmissionConfig admission = AdmissionConfig.OFF;
        /** Null: the variant's own (README, Conflict mitigation, has the measurements). */
        private EmbeddingSharing sharing;
        private DecouplingRule decoupling = DecouplingRule.DEFAULTS;

        private Builder(ModelType type) {
            this.type = type;
        }

        /** Changes the variant; towers and sharing switch back to the new variant's own unless set again. */
        public Builder type(ModelType type) {
            this.type = type;
            this.towers = null;
            this.sharing = null;
            return this;
        }

        /** The variant's towers with its switchable ones chosen; null = the variant's own. */
        public Builder towers(Set<Tower> towers) {
            this.towers = towers;
            return this;
        }

        /** D and the DNN widths together, e.g. those of a synthetic shape. */
        public Builder sizes(int embeddingDim, List<Integer> hiddenUnits) {
            return embeddingDim(embeddingDim).hiddenUnits(hiddenUnits);
        }

        public Builder embeddingDim(int embeddingDim) {
            this.embeddingDim = embeddingDim;
            return this;
        }

        public Builder hiddenUnits(List<Integer> hiddenUnits) {
            this.hiddenUnits = hiddenUnits;
            return this;
        }

        public Builder batchNorm(boolean batchNorm) {
            this.batchNorm = batchNorm;
            return this;
        }

        public Builder dropout(double dropout) {
            this.dropout = dropout;
            return this;
        }

        public Builder optimizer(SparseOptimizer optimizer) {
            this.optimizer = optimizer;
            return this;
        }

        public Builder embeddingLr(double embeddingLr) {
            this.embeddingLr = embeddingLr;
            return this;
        }

        public Builder denseLr(double denseLr) {
            this.denseLr = denseLr;
            return this;
        }

        public Builder l1(double l1) {
            this.l1 = l1;
            return this;
        }

        public Builder l2(double l2) {
            this.l2 = l2;
            return this;
        }

        public Builder initAccumulator(double initAccumulator) {
            this.initAccumulator = initAccumulator;
            return this;
        }

        public Builder squaredGradients(SquaredGradients squaredGradients) {
            this.squaredGradients = squaredGradients;
            return this;
        }

        public Builder initStddev(double initStddev) {
            this.initStddev = initStddev;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder cinLayers(List<Integer> cinLayers) {
            this.cinLayers = cinLayers;
            return this;
        }

        public Builder attentionLayers(int attentionLayers) {
            this.attentionLayers = attentionLayers;
            return this;
        }

        public Builder attentionHeads(int attentionHeads) {
            this.attentionHeads = attentionHeads;
            return this;
        }

        public Builder feedback(DelayedFeedback feedback) {
            this.feedback = feedback;
            return this;
        }

        public Builder admission(AdmissionConfig admission) {
            this.admission = admission;
            return this;
        }

        /** How the towers share the field embeddings; null = the variant's own. */
        public Builder sharing(EmbeddingSharing sharing) {
            this.sharing = sharing;
            return this;
        }

        public Builder decoupling(DecouplingRule decoupling) {
            this.decoupling = decoupling;
            return this;
        }

        public ModelConfig build() {
            return new ModelConfig(type, towers == null ? type.towers() : towers, embeddingDim, hiddenUnits, batchNorm,
                    dropout, optimizer, embeddingLr, denseLr, l1, l2, initAccumulator, squaredGradients, initStddev,
                    seed, cinLayers, attentionLayers, attentionHeads, feedback, admission,
                    sharing == null ? type.sharing() : sharing, decoupling);
        }
    }
}
