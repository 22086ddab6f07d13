package dev.streamfm.model;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * An interaction part of a model that reads the field embeddings and adds its own term to the
 * logit. Every model also has the bias and the first-order (wide) weights, which are not towers.
 */
public enum Tower {
    /** Factorization machine: the sum of pairwise inner products of the field embeddings. */
    FM(LayerKind.FM),
    /** An MLP on the concatenated field embeddings. */
    DNN(LayerKind.DNN),
    /** Compressed interaction network (xDeepFM): explicit vector-wise interactions of growing order. */
    CIN(LayerKind.CIN),
    /** Multi-head self-attention over the field embeddings (AutoInt), with residual connections. */
    ATTENTION(LayerKind.ATTENTION);

    private final LayerKind kind;

    Tower(LayerKind kind) {
        this.kind = kind;
    }

    /** The layer kind its variables are reported as. */
    public LayerKind kind() {
        return kind;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Accepts "fm,dnn", " CIN , dnn"; blank = no tower. */
    public static Set<Tower> parseList(String commaSeparated) {
        Set<Tower> out = EnumSet.noneOf(Tower.class);
        for (String part : commaSeparated.split(",")) {
            if (!part.isBlank()) {
                out.add(parse(part));
            }
        }
        return out;
    }

    /** Accepts "fm", "DNN", ... */
    public static Tower parse(String s) {
        for (Tower t : values()) {
            if (t.label().equals(s.trim().toLowerCase(Locale.ROOT))) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown tower '" + s + "'; use fm, dnn, cin or attention");
    }
}
