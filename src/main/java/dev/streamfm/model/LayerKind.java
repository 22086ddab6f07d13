package dev.streamfm.model;

/** The groups layer importance is reported by. */
public enum LayerKind {
    EMBEDDING, LINEAR, FM, DNN, CIN, ATTENTION, OUTPUT;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
