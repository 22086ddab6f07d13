package dev.streamfm.model;

/** The groups layer importance is reported by. */
public enum LayerKind {
    EMBEDDING, LINEAR, FM, DNN, OUTPUT;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
