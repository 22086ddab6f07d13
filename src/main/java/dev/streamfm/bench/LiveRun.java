package dev.streamfm.bench;

import java.util.Map;

/**
 * The whole service ({@code --role all}) under a steady synthetic stream at a fixed rate.
 *
 * @param eventsSent     events the generator produced during the window
 * @param deliveredRatio predictions visible by the end of the window over events sent: the share
 *                       of the offered rate the service turned into committed predictions
 * @param keptUp         whether the summed consumer lag at the end was at most one second of events
 */
public record LiveRun(String guarantee, int rate, double seconds, long eventsSent, double deliveredRatio,
                      boolean keptUp, Lag lag, Latency latency, Learning learning) {

    /**
     * Consumer lag in records.
     *
     * @param endByApplication at the end of the window, by consumer group (application) without the prefix
     * @param max              the largest summed lag sampled once a second during the window
     * @param caughtUpSeconds  from starting the service until the summed lag was first at most one second
     *                         of events, which is when the window starts; NaN when it never was (the
     *                         window then starts anyway, with the backlog in it)
     */
    public record Lag(Map<String, Long> endByApplication, long end, long max, double caughtUpSeconds) {
    }

    /**
     * Event time (= the generator's send time) to a read_committed consumer receiving the prediction.
     *
     * @param predictions predictions received, up to a drain period after the window
     * @param missing     events without a prediction when the drain ended
     */
    public record Latency(long predictions, long missing, double p50Millis, double p99Millis) {
    }

    /**
     * @param orphanedClicks      click labels that found no event (dead letters with reason orphan_label)
     * @param freshnessP99Seconds upper bound of the freshness-histogram bucket holding the 99th percentile
     */
    public record Learning(long orphanedClicks, long examplesTrained, double freshnessP99Seconds) {
    }
}
