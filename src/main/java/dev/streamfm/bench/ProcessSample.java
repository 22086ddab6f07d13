package dev.streamfm.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * What a soak run watches in its own process: resident memory (heap, TensorFlow's native memory,
 * RocksDB and the JVM together), the heap in use and committed, open file descriptors and live
 * threads. A leak of any of them shows as a slope once the run has warmed up; resident memory
 * also grows while the JVM commits more heap, up to -Xmx, which is why the committed heap is
 * sampled beside it. Linux only (/proc/self).
 */
public record ProcessSample(long rssBytes, long heapUsedBytes, long heapCommittedBytes, int openFds, int threads) {

    public static ProcessSample now() {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return new ProcessSample(rss(), heap.getUsed(), heap.getCommitted(), fds(),
                ManagementFactory.getThreadMXBean().getThreadCount());
    }

    /** Resident memory outside the committed heap: TensorFlow, RocksDB, metaspace, thread stacks. */
    public long offHeapRssBytes() {
        return rssBytes - heapCommittedBytes;
    }

    /** True when the heap cannot grow or shrink (-Xms equal to -Xmx), so RSS growth is not heap sizing. */
    public static boolean heapFixed() {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return heap.getInit() == heap.getMax();
    }

    private static long rss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
            throw new IllegalStateException("no VmRSS in /proc/self/status");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/self/status (soak runs on Linux)", e);
        }
    }

    private static int fds() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return (int) fds.count();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list /proc/self/fd (soak runs on Linux)", e);
        }
    }
}
