package dev.streamfm.bench;

import java.util.function.Consumer;
import java.util.function.Supplier;

/** A status line for a long phase, at most every {@link #EVERY_NANOS}, so a run that seems stuck can be told from one that is. */
final class ProgressLine {

    private static final long EVERY_NANOS = 2_000_000_000L;

    private final Consumer<String> out;
    private long lastAt = System.nanoTime();

    ProgressLine(Consumer<String> out) {
        this.out = out;
    }

    void maybe(Supplier<String> line) {
        long now = System.nanoTime();
        if (now - lastAt >= EVERY_NANOS) {
            lastAt = now;
            out.accept(line.get());
        }
    }

    void now(String line) {
        lastAt = System.nanoTime();
        out.accept(line);
    }
}
