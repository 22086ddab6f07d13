package dev.streamfm.evaluation;

import java.util.Map;

/**
 * What one pass over a stream produced.
 *
 * @param scores   every accepted example's prediction, label and (if known) true probability, by position
 * @param rejected events the feature pipeline refused, by reject reason label
 * @param steps    training steps taken (0 for a frozen scoring pass)
 * @param seconds  wall-clock time of the pass
 */
public record PassResult(ScoreLog scores, Map<String, Long> rejected, long steps, double seconds) {

    public PassResult {
        rejected = Map.copyOf(rejected);
    }

    public int examples() {
        return scores.size();
    }

    public long rejectedTotal() {
        return rejected.values().stream().mapToLong(Long::longValue).sum();
    }
}
