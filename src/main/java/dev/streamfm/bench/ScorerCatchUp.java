package dev.streamfm.bench;

/**
 * The scorer working through a backlog of events, against the pass-through ceiling measured on
 * the same backlog, broker and guarantee just before it.
 *
 * @param repeat     which measured run of this guarantee, from 1
 * @param duplicates predictions beyond one per event (0 under exactly-once)
 * @param ratio      scorer events/s over pass-through events/s
 */
public record ScorerCatchUp(String guarantee, int repeat, CatchUp scorer, CatchUp ceiling, long duplicates,
                            double ratio) {
}
