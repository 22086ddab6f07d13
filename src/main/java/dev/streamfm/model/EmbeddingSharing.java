package dev.streamfm.model;

import java.util.List;
import java.util.Locale;

/**
 * How the towers of a model use the field embeddings, and so what becomes of the gradients they
 * push into them when they disagree (README, "Conflict mitigation").
 */
public enum EmbeddingSharing implements Labeled {
    /** One table, read and updated by every tower: conflicting tower gradients cancel in the sum. */
    SHARED("one table for every tower; tower gradients are summed"),
    /**
     * One table; where two towers' gradients on a touched row point apart (negative dot product),
     * each is projected onto the other's normal plane before the sum (PCGrad, Yu et al. 2020, on
     * each row instead of the whole parameter vector). Rows on which the towers agree get the
     * plain sum; the variables, checkpoints and serving are those of {@link #SHARED}.
     */
    PCGRAD("one table; where two towers' gradients on a touched row conflict, each is projected onto the "
            + "other's normal plane before the sum (PCGrad)"),
    /** A table per tower (as DARE does): no conflict left, at the cost of a table per extra tower. */
    DECOUPLED("one table per tower"),
    /**
     * One table until a field's towers keep conflicting on it, then separate rows per tower for
     * that field from then on ({@link AutoDecoupledModel}): the tables of {@link #DECOUPLED}, with
     * every field starting shared.
     */
    AUTO("one table; a field whose towers' gradients keep conflicting gets separate rows per tower from then on");

    private final String summary;

    EmbeddingSharing(String summary) {
        this.summary = summary;
    }

    @Override
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** One line for help texts and the README. */
    public String summary() {
        return summary;
    }

    /** True when every tower gets a table of its own (under {@link #AUTO}, used field by field). */
    public boolean separateTables() {
        return this == DECOUPLED || this == AUTO;
    }

    public static List<String> labels() {
        return Labeled.labels(values());
    }

    /** Accepts "shared", "PCGrad", "decoupled", "auto". */
    public static EmbeddingSharing parse(String s) {
        return Labeled.parse(values(), s, "embedding sharing");
    }
}
