package dev.streamfm.model;

import java.util.Locale;

/** The model variants behind the {@link Model} interface. */
public enum ModelType {
    /** Bias plus first-order weights: the logistic-regression baseline. */
    LR,
    /** LR plus the factorization-machine pairwise term. */
    FM,
    /** FM plus a DNN on the same (shared) field embeddings. */
    DEEPFM,
    /** DeepFM whose FM and DNN read separate embedding tables (as DARE does). */
    DEEPFM_DECOUPLED;

    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public boolean hasFm() {
        return this != LR;
    }

    public boolean hasDnn() {
        return this == DEEPFM || this == DEEPFM_DECOUPLED;
    }

    /** Accepts "deepfm", "DeepFM", "deepfm-decoupled", "deepfm_decoupled". */
    public static ModelType parse(String s) {
        String k = s.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (ModelType t : values()) {
            if (t.name().equals(k)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown model '" + s + "'; use one of lr, fm, deepfm, deepfm-decoupled");
    }
}
