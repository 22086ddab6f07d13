package dev.streamfm.bench;

import org.apache.kafka.clients.admin.Admin;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Samples the service's consumer lag on a thread of its own. The latency reader used to take the
 * samples between its polls: each sample's admin calls (100-400 ms on a loaded broker) then
 * delayed the receipt of every prediction in flight, and the live p99 measured the benchmark
 * (README, "bench pipeline").
 */
final class LagWatch implements AutoCloseable {

    private final Admin admin;
    private final String app;
    private final ScheduledExecutorService timer;
    private volatile long last = -1;
    private volatile long max;
    private volatile RuntimeException failure;

    LagWatch(Admin admin, String app, Duration every) {
        this.admin = admin;
        this.app = app;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bench-lag-watch");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::sample, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The latest sample's total lag; -1 before the first. */
    long last() {
        check();
        return last;
    }

    /** From now on, {@link #max()} counts only later samples. */
    void resetMax() {
        max = 0;
    }

    /** The largest total lag sampled since the start or {@link #resetMax()}. */
    long max() {
        check();
        return max;
    }

    /** One more sample, by group, taken on the watch's thread; it counts towards {@link #max()}. */
    CompletableFuture<Map<String, Long>> sampleNow() {
        return CompletableFuture.supplyAsync(() -> {
            Map<String, Long> lag = ConsumerLag.byGroup(admin, app);
            record(total(lag));
            return lag;
        }, timer);
    }

    static long total(Map<String, Long> lag) {
        return lag.values().stream().mapToLong(Long::longValue).sum();
    }

    private void sample() {
        try {
            record(total(ConsumerLag.byGroup(admin, app)));
        } catch (RuntimeException e) {
            failure = e;
            throw e;
        }
    }

    private void record(long lag) {
        last = lag;
        max = Math.max(max, lag);
    }

    private void check() {
        if (failure != null) {
            throw new IllegalStateException("consumer lag sampling failed: " + failure.getMessage(), failure);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
