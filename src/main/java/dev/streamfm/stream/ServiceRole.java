package dev.streamfm.stream;

import java.util.Locale;

/** Which applications a process runs: the scorer (scoring + labeling + model replica), the trainer, or both. */
public enum ServiceRole {
    ALL, SCORER, TRAINER;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean scores() {
        return this != TRAINER;
    }

    public boolean trains() {
        return this != SCORER;
    }
}
