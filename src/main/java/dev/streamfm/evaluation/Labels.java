package dev.streamfm.evaluation;

/** The one place a label is checked and narrowed for the compact score logs. */
final class Labels {

    private Labels() {
    }

    static byte checked(int label) {
        if (label != 0 && label != 1) {
            throw new IllegalArgumentException("label must be 0 or 1, got " + label);
        }
        return (byte) label;
    }

    /** Labels as the model takes them: exactly 0f or 1f. */
    static byte checked(float label) {
        if (label != 0f && label != 1f) {
            throw new IllegalArgumentException("label must be 0 or 1, got " + label);
        }
        return (byte) label;
    }
}
