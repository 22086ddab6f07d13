package dev.streamfm.bench;

/**
 * How one application worked through a preloaded backlog.
 *
 * @param target         outputs expected (one per preloaded record)
 * @param done           outputs seen when the phase ended
 * @param startupSeconds from starting the application to its first visible output
 * @param seconds        from the first visible output to the last
 * @param perSecond      outputs per second over {@code seconds}: the steady catch-up rate, start-up excluded
 * @param complete       whether every expected output arrived before progress stalled
 */
public record CatchUp(long target, long done, double startupSeconds, double seconds, double perSecond,
                      boolean complete) {
}
