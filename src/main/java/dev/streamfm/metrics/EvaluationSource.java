package dev.streamfm.metrics;

import java.util.Locale;

/** Whose predictions an online AUC / logloss / calibration figure is computed from. */
public enum EvaluationSource {
    /** The trainer's progressive validation: each batch predicted just before training on it. */
    TRAINER,
    /** The scorers' published predictions, joined with the labels that arrived for them. */
    SERVED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
