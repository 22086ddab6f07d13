package dev.streamfm.model;

import java.util.List;
import java.util.Locale;

/**
 * What the accumulator of the table optimizer (Adagrad's, FTRL's n) adds for a row a batch
 * touched: the square of the row's gradient summed over the batch, or the sum of the squares of
 * its per-example gradients, one per occurrence, as per-example Adagrad at batch 1 would. A row
 * read by k examples of a batch gets (g1 + ... + gk)^2 under the first and g1^2 + ... + gk^2
 * under the second: gradients of opposite signs cancel in the first, and agreeing ones count up
 * to k times more than in the second. The update itself always applies the summed gradient
 * (README, "Defaults and why", has the measurements).
 */
public enum SquaredGradients implements Labeled {
    /** The square of the summed gradient for every table: what checkpoints saved before the setting hold. */
    BATCH("square of the gradient summed over the batch, every table"),
    /** The sum of the per-occurrence squares for every table: embeddings, first-order weights and the bias. */
    EXAMPLE("sum of the per-example squares, every table"),
    /** Per-example squares for the bias and the first-order tables; embedding tables as {@link #BATCH}. */
    FIRST_ORDER("sum of the per-example squares for the bias and first-order tables; embeddings as batch");

    private final String summary;

    SquaredGradients(String summary) {
        this.summary = summary;
    }

    @Override
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** One line for help texts and the README. */
    public String summary() {
        return summary;
    }

    /** True when a table of {@code kind} (LINEAR: the bias and first-order tables) adds per-example squares. */
    public boolean perExample(LayerKind kind) {
        return this == EXAMPLE || this == FIRST_ORDER && kind == LayerKind.LINEAR;
    }

    public static List<String> labels() {
        return Labeled.labels(values());
    }

    /** Accepts "batch", "example", "first-order". */
    public static SquaredGradients parse(String s) {
        return Labeled.parse(values(), s, "squared gradients");
    }
}
