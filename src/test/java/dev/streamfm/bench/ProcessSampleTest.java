package dev.streamfm.bench;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The soak run's gauges read this process's real figures. */
class ProcessSampleTest {

    @Test
    void gaugesFollowWhatTheProcessHolds(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        ProcessSample before = ProcessSample.now();
        assertTrue(before.rssBytes() > before.heapUsedBytes() / 4 && before.rssBytes() > 10 << 20, before.toString());
        assertTrue(before.threads() >= 1);
        assertTrue(before.heapCommittedBytes() >= before.heapUsedBytes(), before.toString());
        assertEquals(before.rssBytes() - before.heapCommittedBytes(), before.offHeapRssBytes());
        Path f = Files.writeString(dir.resolve("held"), "x");
        try (RandomAccessFile held = new RandomAccessFile(f.toFile(), "r")) {
            assertEquals(before.openFds() + 1, ProcessSample.now().openFds(), "an open file is one more descriptor");
        }
    }
}
