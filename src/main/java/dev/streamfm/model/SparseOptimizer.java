package dev.streamfm.model;

import java.util.Locale;

/** The optimizer of the embedding and first-order tables; dense layers always use Adam. */
public enum SparseOptimizer implements Labeled {
    /** Per-coordinate Adagrad: w -= lr * g / sqrt(acc). */
    ADAGRAD,
    /** FTRL-Proximal (McMahan et al. 2013) with optional L1: sparse first-order weights, the online-CTR standard. */
    FTRL;

    @Override
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Accepts "adagrad", "FTRL", ... */
    public static SparseOptimizer parse(String s) {
        return Labeled.parse(values(), s, "optimizer");
    }
}
