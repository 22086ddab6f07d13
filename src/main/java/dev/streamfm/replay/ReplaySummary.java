package dev.streamfm.replay;

/**
 * What a replay did.
 *
 * @param events   rows sent as events
 * @param labels   labels sent, one per event
 * @param rejected rows the feature spec refused (reported, not sent)
 */
public record ReplaySummary(long events, long labels, long rejected, double seconds) {

    public double eventsPerSecond() {
        return seconds > 0 ? events / seconds : 0;
    }
}
