package dev.streamfm.model;

/**
 * How labels that arrive late reach the trainer, and the loss that matches it (README, "Delayed
 * labels"). The scorer releases examples by it and the trainer weights its loss by it, so both
 * read the same setting.
 */
public enum DelayedFeedback implements Labeled {
    /**
     * Every example waits until its attribution window has closed and goes to the trainer once,
     * with its true label: unbiased, and as old as the window.
     */
    WINDOW("window"),
    /**
     * Fake-negative weighting (Ktena et al., RecSys 2019): every event goes to the trainer at once
     * as a negative and a click sends it again as a positive. The examples then follow
     * b(y=1|x) = p / (1 + p); weighting the log loss by (1 + p) for positives and (1 - p)(1 + p)
     * for negatives, with p the model's own prediction held constant, makes its minimiser p again.
     */
    FAKE_NEGATIVE("fake-negative");

    private final String label;

    DelayedFeedback(String label) {
        this.label = label;
    }

    @Override
    public String label() {
        return label;
    }

    /** Accepts "window", "fake-negative", "FAKE_NEGATIVE". */
    public static DelayedFeedback parse(String s) {
        return Labeled.parse(values(), s, "delayed feedback");
    }
}
