package dev.streamfm.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * What a soak run watches in its own process: resident memory (heap, TensorFlow's native memory,
 * RocksDB and the JVM together), the heap in use, open file descriptors and live threads. A leak
 * of any of them shows as a slope once the run has warmed up. Linux only (/proc/self).
 */
public record ProcessSample(long rssBytes, long heapUsedBytes, int openFds, int threads) {

    public static ProcessSample now() {
        return new ProcessSample(rss(), ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), fds(),
                ManagementFactory.getThreadMXBean().getThreadCount());
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
