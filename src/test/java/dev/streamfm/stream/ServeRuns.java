package dev.streamfm.stream;

import dev.streamfm.config.Topics;
import dev.streamfm.kafka.TopicAdmin;
import dev.streamfm.schema.ModelBlock;
import dev.streamfm.schema.Prediction;
import dev.streamfm.stream.serde.AvroSerde;
import org.apache.kafka.clients.admin.Admin;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the crash tests (CrashRecoveryIT, ChaosIT) share: settings and topics of one run of
 * `serve` in a child process, pacing, waiting for log lines and model versions, and the bitwise
 * comparison of two models.
 */
final class ServeRuns {

    private ServeRuns() {
    }

    /** The settings with the topics, application id and state directory of one run. */
    static Map<String, String> with(Map<String, String> base, Topics topics, Path state) {
        Map<String, String> m = new HashMap<>(base);
        m.put("streamfm.topic.prefix", topics.prefix());
        m.put("streamfm.application.id", topics.prefix());
        m.put("streamfm.state.dir", state.toString());
        return m;
    }

    static void createTopics(String bootstrap, Topics topics, int partitions) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            TopicAdmin.ensure(admin, TopicAdmin.required(topics, partitions, 1), (short) 1);
        }
    }

    /** Sleeps until record i is due at the given rate (records a second) from start (nanoTime). */
    static void pace(long start, int i, double rate) {
        long wait = start + (long) (i * 1e9 / rate) - System.nanoTime();
        if (wait > 0) {
            try {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static long lines(Path log, String text) throws Exception {
        return Files.exists(log) ? Files.readAllLines(log).stream().filter(l -> l.contains(text)).count() : 0;
    }

    static void awaitLogLines(Path log, String text, int count, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (lines(log, text) >= count) {
                return;
            }
            Thread.sleep(100);
        }
        List<String> lines = Files.readAllLines(log);
        throw new AssertionError("'" + text + "' did not appear " + count + " times in " + log + ":\n"
                + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
    }

    static long distinct(TopicTail<Prediction> t) {
        return t.records().stream().map(r -> r.value().getEventId()).distinct().count();
    }

    /**
     * The latest committed block of every key on the model topic, once the newest one reaches the
     * version; with exact, read on until the checkpoint's last block is in and check that no
     * newer version exists.
     */
    static Map<String, ModelBlock> awaitModelAtVersion(String bootstrap, Topics topics, long version, ServeProcess p,
                                                       boolean exact, Duration timeout) {
        try (TopicTail<ModelBlock> tail = new TopicTail<>(bootstrap, topics.model(),
                AvroSerde.of(ModelBlock.class).deserializer(), true)) {
            boolean reached = tail.pollUntil(() -> tail.records().stream()
                    .anyMatch(r -> r.value().getVersion() >= version), timeout);
            assertTrue(reached, () -> topics.prefix() + " never published version " + version + ":\n" + p.logTail());
            if (exact) {
                // A checkpoint spans several polls: read on until its last block has arrived too.
                tail.pollUntil(() -> false, Duration.ofSeconds(3));
            }
            Map<String, ModelBlock> latest = new TreeMap<>();
            tail.records().forEach(r -> latest.put(r.key(), r.value()));
            if (exact) {
                assertEquals(version, latest.values().stream().mapToLong(ModelBlock::getVersion).max().orElse(-1),
                        "newest checkpoint of " + topics.prefix());
            }
            return latest;
        }
    }

    /** Every block of both models holds the same floats, bit for bit. */
    static void assertSameParameters(Map<String, ModelBlock> clean, Map<String, ModelBlock> crashed, String after) {
        assertEquals(clean.keySet(), crashed.keySet(), "model blocks");
        List<String> differing = new ArrayList<>();
        double maxRelative = 0;
        for (String key : clean.keySet()) {
            float[] a = floats(clean.get(key));
            float[] b = floats(crashed.get(key));
            if (!Arrays.equals(a, b)) {
                differing.add(key + " v" + clean.get(key).getVersion() + "/v" + crashed.get(key).getVersion());
                for (int i = 0; i < Math.min(a.length, b.length); i++) {
                    maxRelative = Math.max(maxRelative, Math.abs(a[i] - b[i]) / Math.max(1e-12, Math.abs(a[i])));
                }
            }
        }
        assertTrue(differing.isEmpty(), differing.size() + " of " + clean.size() + " blocks differ after " + after
                + " (max relative difference " + maxRelative + "): "
                + differing.subList(0, Math.min(10, differing.size())));
    }

    private static float[] floats(ModelBlock b) {
        ByteBuffer bytes = b.getValues().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[bytes.remaining() / Float.BYTES];
        bytes.asFloatBuffer().get(out);
        return out;
    }
}
