package dev.streamfm.metrics;

import java.util.Locale;

/** Which replica of a model a version figure comes from. */
public enum ModelRole {
    /** The single writer that trains the model and publishes its blocks. */
    TRAINER,
    /** A scoring instance's replica, following the published blocks. */
    SCORER;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
