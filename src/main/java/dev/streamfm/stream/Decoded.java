package dev.streamfm.stream;

import dev.streamfm.rejection.Rejection;

/** A decoded and validated input record, or why it was rejected. Exactly one of the two is set. */
public record Decoded<T>(T value, Rejection rejection) {

    public static <T> Decoded<T> ok(T value) {
        return new Decoded<>(value, null);
    }

    public static <T> Decoded<T> rejected(Rejection r) {
        return new Decoded<>(null, r);
    }

    public boolean isOk() {
        return rejection == null;
    }
}
