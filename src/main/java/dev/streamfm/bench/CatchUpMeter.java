package dev.streamfm.bench;

import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Waits until an output count reaches its target and times it. The rate runs from the first
 * visible output to the last, so the application's start-up (model build, rebalance) is reported
 * apart and does not dilute the throughput; both the service and its ceiling are timed this way.
 * A phase whose count stops moving for the stall timeout ends incomplete rather than hanging.
 */
final class CatchUpMeter {

    private static final long POLL_PAUSE_MS = 5;

    private final ProgressLine progress;
    private final Duration stallTimeout;

    CatchUpMeter(ProgressLine progress, Duration stallTimeout) {
        this.progress = progress;
        this.stallTimeout = stallTimeout;
    }

    /**
     * @param startedAt System.nanoTime() when the application was started
     * @param count     the outputs visible so far; may block briefly
     */
    CatchUp await(String label, long target, long startedAt, LongSupplier count) throws InterruptedException {
        long firstAt = 0;
        long atFirst = 0;
        long lastChangeAt = System.nanoTime();
        long last = 0;
        while (last < target && System.nanoTime() - lastChangeAt < stallTimeout.toNanos()) {
            long n = count.getAsLong();
            long now = System.nanoTime();
            if (n != last) {
                lastChangeAt = now;
                if (last == 0) {
                    firstAt = now;
                    atFirst = n;
                }
                last = n;
            }
            long seen = last;
            progress.maybe(() -> String.format(Locale.ROOT, "%s: %,d/%,d", label, seen, target));
            Thread.sleep(POLL_PAUSE_MS);
        }
        long endAt = lastChangeAt;
        double startup = ((firstAt == 0 ? endAt : firstAt) - startedAt) / 1e9;
        double seconds = (endAt - firstAt) / 1e9;
        // A backlog that became visible all at once (one commit) has no steady part to time:
        // then the rate runs from the start instead.
        double perSecond = firstAt != 0 && last > atFirst ? (last - atFirst) / seconds
                : last / ((endAt - startedAt) / 1e9);
        return new CatchUp(target, last, startup, firstAt == 0 ? 0 : seconds, perSecond, last >= target);
    }
}
