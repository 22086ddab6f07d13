package dev.streamfm.evaluation;

import java.util.Iterator;
import java.util.SplittableRandom;

/**
 * Gives a stream without times the times the service would see: event i at i / rate seconds,
 * and each click's label a uniform delay in [0, maxDelay] after its event, as `generate` sends
 * them. Deterministic in the seed.
 */
public final class PacedArrivals implements Iterator<TimedEvent> {

    private final Iterator<? extends LabeledEvent> events;
    private final double msPerEvent;
    private final long maxDelayMs;
    private final SplittableRandom random;
    private long index;

    public PacedArrivals(Iterator<? extends LabeledEvent> events, double eventsPerSecond, long maxDelayMs, long seed) {
        if (!(eventsPerSecond > 0) || Double.isInfinite(eventsPerSecond)) {
            throw new IllegalArgumentException("--rate must be a positive number of events/s, got " + eventsPerSecond);
        }
        if (maxDelayMs < 0) {
            throw new IllegalArgumentException("--label-delay must be >= 0, got " + maxDelayMs + " ms");
        }
        this.events = events;
        this.msPerEvent = 1000.0 / eventsPerSecond;
        this.maxDelayMs = maxDelayMs;
        this.random = new SplittableRandom(seed);
    }

    @Override
    public boolean hasNext() {
        return events.hasNext();
    }

    @Override
    public TimedEvent next() {
        LabeledEvent e = events.next();
        long time = (long) (index++ * msPerEvent);
        long click = e.label() == 1 ? time + random.nextLong(maxDelayMs + 1) : time;
        return new TimedEvent(e, time, click);
    }
}
