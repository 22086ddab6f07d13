package dev.streamfm.stream;

import dev.streamfm.cli.Main;
import dev.streamfm.config.StreamfmConfig;
import dev.streamfm.config.Topics;
import dev.streamfm.kafka.EmbeddedKafkaBroker;
import dev.streamfm.metrics.StreamfmMetrics;
import dev.streamfm.schema.LabeledExample;
import dev.streamfm.schema.Prediction;
import dev.streamfm.stream.serde.AvroSerde;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `streamfm replay` of a small libfm log through the real service on a real broker: one
 * prediction per good row, one training example per row with the row's label, the bad line
 * reported and counted, and no second example once every attribution window has closed.
 */
class ReplayIT {

    private static final int ROWS = 300;
    private static final int BAD_LINE = 151;
    private static final int LATER_ROWS = 20;
    private static final String WINDOW = "3s";
    private static final Duration WINDOW_AND_GRACE = Duration.ofSeconds(6);

    @TempDir
    Path dir;

    @Test
    void replayedRowsAreScoredOnceAndTrainedOnceWithTheirLabels() throws Exception {
        Map<String, Integer> labels = new HashMap<>();
        Path log = writeLog(labels);
        Path spec = Files.writeString(dir.resolve("spec.yaml"), """
                fields:
                  - {name: f0, kind: categorical, buckets: 101}
                  - {name: f1, kind: categorical, buckets: 101}
                  - {name: f2, kind: categorical, buckets: 101}
                """);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            Map<String, String> settings = Map.of(
                    "streamfm.topic.partitions", "2",
                    "streamfm.features.spec", spec.toString(),
                    "streamfm.labeling.window.ms", WINDOW,
                    "streamfm.labeling.grace.ms", WINDOW,
                    "streamfm.state.dir", dir.resolve("state").toString());
            Map<String, String> service = new HashMap<>(settings);
            service.put("bootstrap.servers", broker.bootstrapServers());
            StreamfmConfig cfg = StreamfmConfig.load(null, Map.of(), service);
            Topics topics = cfg.topics();
            try (StreamfmService ignored = StreamfmService.start(cfg, ServiceRole.ALL,
                    new StreamfmMetrics(new PrometheusRegistry()));
                 TopicTail<Prediction> predictions = new TopicTail<>(broker.bootstrapServers(), topics.predictions(),
                         AvroSerde.of(Prediction.class).deserializer(), true);
                 TopicTail<LabeledExample> examples = new TopicTail<>(broker.bootstrapServers(), topics.examples(),
                         AvroSerde.of(LabeledExample.class).deserializer(), true)) {
                String[] replay = {"replay", "--no-progress", "--bootstrap-servers", broker.bootstrapServers(),
                        "--set", "streamfm.labeling.window.ms=" + WINDOW, "--format", "libfm", "--spec",
                        spec.toString(), "--label-delay", "500ms", "--file"};
                StringWriter out = new StringWriter();
                StringWriter err = new StringWriter();
                int exit = Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                        .execute(concat(replay, log.toString()));
                assertEquals(0, exit, err.toString());
                assertTrue(err.toString().contains("day.libfm line " + BAD_LINE + ": "), err.toString());
                assertTrue(out.toString().contains("replayed " + log + ": " + ROWS + " events to streamfm.events, "
                        + ROWS + " labels to streamfm.labels; 1 bad lines, 0 rows rejected"), out.toString());

                assertTrue(predictions.pollUntil(() -> predictions.records().size() >= ROWS, Duration.ofMinutes(2)),
                        "predictions: " + predictions.records().size());
                // Examples are released when their window closes, and only events move the join's
                // clock: a second replay, after window + grace, closes every window of the first.
                Thread.sleep(WINDOW_AND_GRACE.toMillis());
                // Stream time is per partition: enough rows that every partition gets one.
                Path later = Files.writeString(dir.resolve("later.libfm"), "1 1:1 2:1 3:1\n".repeat(LATER_ROWS));
                assertEquals(0, Main.commandLine().setOut(new PrintWriter(new StringWriter()))
                        .execute(concat(replay, later.toString())));
                assertTrue(examples.pollUntil(() -> examples.records().size() >= ROWS, Duration.ofMinutes(1)),
                        "examples: " + examples.records().size());
                examples.pollUntil(() -> false, Duration.ofSeconds(5));
                predictions.poll();

                Map<String, Integer> scored = count(predictions.records(), Prediction::getEventId);
                Map<String, Integer> trained = count(examples.records(), e -> e.getEvent().getEventId());
                scored.keySet().removeIf(id -> id.startsWith("later.libfm:"));
                trained.keySet().removeIf(id -> id.startsWith("later.libfm:"));
                assertEquals(labels.keySet(), scored.keySet(), "one prediction per good row");
                assertEquals(labels.keySet(), trained.keySet(), "one example per labeled row");
                scored.forEach((id, n) -> assertEquals(1, n, "predictions of " + id));
                trained.forEach((id, n) -> assertEquals(1, n, "examples of " + id));
                for (ConsumerRecord<String, LabeledExample> r : examples.records()) {
                    String id = r.value().getEvent().getEventId();
                    if (labels.containsKey(id)) {
                        assertEquals(labels.get(id), r.value().getLabel(), "label of " + id);
                    }
                }
            }
        }
    }

    /** ROWS rows of three one-hot fields with a random label, and one bad line; labels by event id. */
    private Path writeLog(Map<String, Integer> labels) throws Exception {
        Random random = new Random(7);
        StringBuilder text = new StringBuilder();
        int line = 0;
        for (int row = 0; row < ROWS; row++) {
            if (++line == BAD_LINE) {
                text.append("1 5:1 not-a-feature\n");
                line++;
            }
            int label = random.nextInt(4) == 0 ? 1 : 0;
            labels.put("day.libfm:" + line, label);
            text.append(label == 1 ? "1" : "-1");
            for (int f = 0; f < 3; f++) {
                text.append(' ').append(random.nextInt(50)).append(":1");
            }
            text.append('\n');
        }
        return Files.writeString(dir.resolve("day.libfm"), text);
    }

    private static <V> Map<String, Integer> count(List<ConsumerRecord<String, V>> records, Function<V, String> id) {
        Map<String, Integer> counts = new HashMap<>();
        records.forEach(r -> counts.merge(id.apply(r.value()), 1, Integer::sum));
        return counts;
    }

    private static String[] concat(String[] head, String last) {
        String[] all = java.util.Arrays.copyOf(head, head.length + 1);
        all[head.length] = last;
        return all;
    }
}
