package dev.streamfm.config;

/** Topic names (README, What runs), under a configurable prefix. */
public record Topics(String prefix) {
    public String events() {
        return prefix + ".events";
    }

    public String labels() {
        return prefix + ".labels";
    }

    public String predictions() {
        return prefix + ".predictions";
    }

    public String examples() {
        return prefix + ".examples";
    }

    public String model() {
        return prefix + ".model";
    }

    public String deadLetters() {
        return prefix + ".dlq";
    }
}
