package dev.streamfm.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Turns Ctrl-C / SIGTERM into a signal the command's own thread waits for, and holds the JVM's
 * exit until that thread has closed everything (the JVM halts once its shutdown hooks return,
 * whatever other threads are doing).
 */
final class ShutdownSignal implements AutoCloseable {

    private static final Duration CLEANUP_LIMIT = Duration.ofSeconds(10);

    private final CountDownLatch requested = new CountDownLatch(1);
    private final CountDownLatch cleanedUp = new CountDownLatch(1);
    private final Thread hook;

    private ShutdownSignal() {
        hook = new Thread(() -> {
            requested.countDown();
            try {
                cleanedUp.await(CLEANUP_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "streamfm-shutdown");
    }

    static ShutdownSignal install() {
        ShutdownSignal s = new ShutdownSignal();
        Runtime.getRuntime().addShutdownHook(s.hook);
        return s;
    }

    /** Waits up to the timeout; true when a shutdown was requested. */
    boolean await(Duration timeout) throws InterruptedException {
        return requested.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    void awaitForever() throws InterruptedException {
        requested.await();
    }

    /** Runs {@code action} on a daemon thread once a shutdown is requested, e.g. to stop a producing loop. */
    void onRequest(Runnable action, String threadName) {
        Thread watcher = new Thread(() -> {
            try {
                awaitForever();
                action.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, threadName);
        watcher.setDaemon(true);
        watcher.start();
    }

    boolean requested() {
        return requested.getCount() == 0;
    }

    @Override
    public void close() {
        cleanedUp.countDown();
        if (!requested()) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down
            }
        }
    }
}
