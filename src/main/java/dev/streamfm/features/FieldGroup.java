package dev.streamfm.features;

import java.util.Locale;

/**
 * The parts of a model a field can feed (the spec's {@code groups:}): the wide (first-order)
 * weights, the FM, and the deep towers (DNN, CIN, self-attention). README, Feature groups.
 */
public enum FieldGroup {
    WIDE, FM, DEEP;

    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
