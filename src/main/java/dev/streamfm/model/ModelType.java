package dev.streamfm.model;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The model variants: the one registration of each. A variant is the set of towers it reads the
 * field embeddings with, the towers a user may switch on or off ({@code streamfm.model.towers},
 * {@code --towers}), and how its towers share the field embeddings unless configured otherwise. Settings, command-line options,
 * help texts and the README's variant table derive from this list; the graph builder builds
 * whatever towers a configuration names.
 */
public enum ModelType implements Labeled {
    LR("lr", "bias + first-order weights: the logistic-regression baseline", Set.of(), Set.of(),
            EmbeddingSharing.SHARED),
    FM("fm", "LR + the factorization-machine pairwise term", Set.of(Tower.FM), Set.of(), EmbeddingSharing.SHARED),
    DEEPFM("deepfm", "FM + a DNN on the same (shared) field embeddings", Set.of(Tower.FM, Tower.DNN), Set.of(),
            EmbeddingSharing.SHARED),
    DEEPFM_DECOUPLED("deepfm-decoupled", "DeepFM whose FM and DNN read separate embedding tables (as DARE does)",
            Set.of(Tower.FM, Tower.DNN), Set.of(), EmbeddingSharing.DECOUPLED),
    WIDE_DEEP("wide-deep", "Wide&Deep: first-order weights on the spec's wide fields + a DNN on its deep fields",
            Set.of(Tower.DNN), Set.of(), EmbeddingSharing.SHARED),
    XDEEPFM("xdeepfm", "xDeepFM: LR + a CIN (split-half) + a DNN on the same field embeddings",
            Set.of(Tower.CIN, Tower.DNN), Set.of(Tower.DNN, Tower.FM), EmbeddingSharing.SHARED),
    AUTOINT("autoint", "AutoInt: LR + multi-head self-attention over the field embeddings (residual) + a DNN",
            Set.of(Tower.ATTENTION, Tower.DNN), Set.of(Tower.DNN, Tower.FM), EmbeddingSharing.SHARED);

    /** The variant a configuration without one gets. */
    public static final ModelType DEFAULT = DEEPFM;

    private final String label;
    private final String summary;
    private final Set<Tower> towers;
    private final Set<Tower> switchable;
    private final EmbeddingSharing sharing;

    ModelType(String label, String summary, Set<Tower> towers, Set<Tower> switchable, EmbeddingSharing sharing) {
        this.label = label;
        this.summary = summary;
        this.towers = towers.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(towers));
        this.switchable = switchable.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(switchable));
        this.sharing = sharing;
    }

    /** The name users write: "deepfm-decoupled". */
    @Override
    public String label() {
        return label;
    }

    /** One line for help texts and the README. */
    public String summary() {
        return summary;
    }

    /** The towers of the variant as registered. */
    public Set<Tower> towers() {
        return towers;
    }

    /** Towers a configuration may add to or remove from {@link #towers()}. */
    public Set<Tower> switchable() {
        return switchable;
    }

    /** How the variant's towers use the field embeddings unless configured otherwise. */
    public EmbeddingSharing sharing() {
        return sharing;
    }

    /**
     * Why {@code chosen} is not a valid tower set of this variant, or null when it is: every
     * registered tower that is not switchable must stay, and only switchable ones may be added.
     */
    public String checkTowers(Set<Tower> chosen) {
        for (Tower t : towers) {
            if (!chosen.contains(t) && !switchable.contains(t)) {
                return label + " always has the " + t.label() + " tower" + switchableHint();
            }
        }
        for (Tower t : chosen) {
            if (!towers.contains(t) && !switchable.contains(t)) {
                return label + " has no " + t.label() + " tower" + switchableHint();
            }
        }
        return null;
    }

    private String switchableHint() {
        return switchable.isEmpty() ? "; its towers cannot be switched"
                : "; towers it can switch: " + labels(switchable);
    }

    /** Every variant's label, in registration order. */
    public static List<String> labels() {
        return Labeled.labels(values());
    }

    static String labels(Set<Tower> towers) {
        return towers.stream().sorted().map(Tower::label).collect(Collectors.joining(","));
    }

    /** Accepts "deepfm", "DeepFM", "deepfm-decoupled", "deepfm_decoupled". */
    public static ModelType parse(String s) {
        return Labeled.parse(values(), s, "model");
    }
}
