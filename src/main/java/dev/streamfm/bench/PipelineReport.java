package dev.streamfm.bench;

import java.util.List;

/**
 * Every figure of one {@code bench pipeline} run; the lists of phases that did not run are empty.
 *
 * @param warmUp   records each catch-up phase worked through, untimed, before it was measured
 * @param scorer   every measured scorer catch-up, repeats included
 * @param scorerMedians the scorer catch-ups per guarantee: median and range over the repeats
 * @param trainer  null when the trainer phase did not run or failed
 * @param failures one line per measurement that failed (its figures are absent)
 */
public record PipelineReport(String shape, String model, int partitions, long events, long warmUp, double liveSecondsPerRate,
                             List<ScorerCatchUp> scorer, List<ScorerMedian> scorerMedians, TrainerCatchUp trainer,
                             List<LiveRun> live,
                             List<String> failures) {
}
