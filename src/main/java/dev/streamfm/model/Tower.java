package dev.streamfm.model;

import dev.streamfm.features.FieldGroup;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * An interaction part of a model that reads the field embeddings and adds its own term to the
 * logit. Every model also has the bias and the first-order (wide) weights, which are not towers.
 */
public enum Tower implements Labeled {
    /** Factorization machine: the sum of pairwise inner products of the field embeddings. */
    FM(LayerKind.FM, FieldGroup.FM),
    /** An MLP on the concatenated field embeddings. */
    DNN(LayerKind.DNN, FieldGroup.DEEP),
    /** Compressed interaction network (xDeepFM): explicit vector-wise interactions of growing order. */
    CIN(LayerKind.CIN, FieldGroup.DEEP),
    /** Multi-head self-attention over the field embeddings (AutoInt), with residual connections. */
    ATTENTION(LayerKind.ATTENTION, FieldGroup.DEEP);

    private final LayerKind kind;
    private final FieldGroup group;

    Tower(LayerKind kind, FieldGroup group) {
        this.kind = kind;
        this.group = group;
    }

    /** The fields it reads: the spec's group (README, Feature groups). */
    public FieldGroup group() {
        return group;
    }

    /** The layer kind its variables are reported as. */
    public LayerKind kind() {
        return kind;
    }

    @Override
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
        return Labeled.parse(values(), s, "tower");
    }
}
