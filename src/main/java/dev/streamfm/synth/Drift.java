package dev.streamfm.synth;

import java.util.Locale;

/**
 * How the planted teacher changes over the stream. Every per-value teacher parameter is
 * {@code cos(a) * first + sin(a) * second} of two independent draws, so its distribution stays
 * the same while the function moves: at angle pi/2 the teacher is a different one altogether.
 * The base rate and the Bayes-optimal AUC stay the same in expectation over teacher draws, but
 * one draw differs from another about as much as two seeds do (a few hundredths of AUC).
 *
 * @param kind   none, gradual (the angle grows linearly) or abrupt (it jumps once)
 * @param events gradual: events per quarter turn; abrupt: index of the first event of the new teacher
 */
public record Drift(Kind kind, long events) {

    public enum Kind { NONE, GRADUAL, ABRUPT }

    public static final Drift NONE = new Drift(Kind.NONE, 0);

    public Drift {
        if (kind != Kind.NONE && events < 1) {
            throw new IllegalArgumentException("drift " + kind.name().toLowerCase(Locale.ROOT)
                    + " needs a positive event count, got " + events);
        }
    }

    public static Drift gradual(long eventsPerQuarterTurn) {
        return new Drift(Kind.GRADUAL, eventsPerQuarterTurn);
    }

    public static Drift abrupt(long atEvent) {
        return new Drift(Kind.ABRUPT, atEvent);
    }

    /**
     * Parses none|gradual|abrupt for a stream of {@code count} events: gradual turns a quarter over
     * the whole stream, abrupt switches halfway.
     */
    public static Drift parse(String s, long count) {
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "none" -> NONE;
            case "gradual" -> gradual(Math.max(1, count));
            case "abrupt" -> abrupt(Math.max(1, count / 2));
            default -> throw new IllegalArgumentException("unknown drift '" + s + "'; use none, gradual or abrupt");
        };
    }

    /** The mixing angle at event {@code index}. */
    public double angle(long index) {
        return switch (kind) {
            case NONE -> 0;
            case GRADUAL -> 0.5 * Math.PI * index / events;
            case ABRUPT -> index < events ? 0 : 0.5 * Math.PI;
        };
    }
}
