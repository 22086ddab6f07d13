package dev.streamfm.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamfm.config.ModelSetup;
import dev.streamfm.config.Settings;
import dev.streamfm.config.StreamfmConfig;
import dev.streamfm.metrics.StreamfmMetrics;
import dev.streamfm.model.Models;
import dev.streamfm.schema.ClickEvent;
import dev.streamfm.schema.DeadLetter;
import dev.streamfm.schema.Prediction;
import dev.streamfm.stream.serde.JsonRecordDecoder;
import dev.streamfm.stream.serde.JsonRecordEncoder;
import dev.streamfm.stream.serde.OutputFormat;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.apache.avro.Schema;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** streamfm.output.format=json: predictions and dead letters as plain JSON following their schemas. */
class OutputFormatTest {

    private static final long T0 = 1_700_000_000_000L;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path state;

    @Test
    void jsonPredictionsAndDeadLettersCarryEveryFieldOfTheirSchema() throws Exception {
        StreamfmConfig cfg = StreamfmConfig.load(null, Map.of(), Map.of("bootstrap.servers", "unused:9092",
                Settings.OUTPUT_FORMAT.key(), "json", "streamfm.scoring.batch.size", "2",
                "streamfm.model.type", "fm", "streamfm.processing.guarantee", "at_least_once",
                "streamfm.state.dir", state.toString()));
        ModelSetup setup = ModelSetup.from(cfg);
        StreamfmMetrics metrics = new StreamfmMetrics(new PrometheusRegistry());
        byte[] garbage = {1, 2, 3, (byte) 0xff};
        try (ModelReplica replica = new ModelReplica(Models.create(setup.modelConfig(), setup.spec().layout()),
                setup.fingerprint(), (b, s) -> {
                }, reason -> {
                });
             TopologyTestDriver driver = new TopologyTestDriver(ScorerTopology.build(cfg, setup.spec(), replica,
                     metrics), StreamsProperties.of(cfg, ServiceRole.SCORER, metrics))) {
            TestInputTopic<String, byte[]> events = driver.createInputTopic(cfg.topics().events(),
                    new StringSerializer(), new ByteArraySerializer());
            for (int i = 0; i < 2; i++) {
                String json = "{\"event_id\":\"e" + i + "\",\"event_time\":" + (T0 + i)
                        + ",\"categorical\":{\"f0\":\"v" + i + "\"}}";
                events.pipeInput("e" + i, json.getBytes(StandardCharsets.UTF_8), T0 + i);
            }
            events.pipeInput("bad", garbage, T0 + 2);
            driver.advanceWallClockTime(Duration.ofMillis(10));

            TestOutputTopic<String, byte[]> predictions = driver.createOutputTopic(cfg.topics().predictions(),
                    new StringDeserializer(), new ByteArrayDeserializer());
            List<TestRecord<String, byte[]>> scored = predictions.readRecordsToList();
            assertEquals(2, scored.size());
            for (int i = 0; i < 2; i++) {
                JsonNode p = JSON.readTree(scored.get(i).value());
                assertEquals(fieldNames(Prediction.getClassSchema()), names(p));
                assertEquals("e" + i, p.get("event_id").asText());
                assertEquals(T0 + i, p.get("event_time").asLong(), "timestamps are epoch milliseconds");
                double score = p.get("score").asDouble();
                assertTrue(score > 0 && score < 1, "score " + score);
                assertEquals("deepfm", p.get("model").asText());
            }

            TestOutputTopic<String, byte[]> dlq = driver.createOutputTopic(cfg.topics().deadLetters(),
                    new StringDeserializer(), new ByteArrayDeserializer());
            JsonNode dl = JSON.readTree(dlq.readValue());
            assertEquals(fieldNames(DeadLetter.getClassSchema()), names(dl));
            assertEquals(cfg.topics().events(), dl.get("source_topic").asText());
            assertEquals("undecodable", dl.get("reason").asText());
            assertArrayEquals(garbage, Base64.getDecoder().decode(dl.get("value").asText()),
                    "the original bytes, base64");
            assertArrayEquals("bad".getBytes(StandardCharsets.UTF_8),
                    Base64.getDecoder().decode(dl.get("key").asText()));
        }
    }

    @Test
    void theJsonEncoderWritesWhatTheInputDecoderReads() throws Exception {
        ClickEvent e = ClickEvent.newBuilder().setEventId("e1").setEventTime(Instant.ofEpochMilli(T0))
                .setCategorical(Map.of("f0", "a\"b")).setMulti(Map.of("tags", List.of("x", "y")))
                .setNumeric(Map.of("n", -1.5e-7)).setLabel(1).build();
        byte[] json = JsonRecordEncoder.of(ClickEvent.class).encode(e);
        assertEquals(e, JsonRecordDecoder.of(ClickEvent.class).decode(json));

        ClickEvent unlabeled = ClickEvent.newBuilder(e).setLabel(null).build();
        byte[] nullLabel = JsonRecordEncoder.of(ClickEvent.class).encode(unlabeled);
        assertTrue(JSON.readTree(nullLabel).get("label").isNull(), "a null union is a bare null");
        assertEquals(unlabeled, JsonRecordDecoder.of(ClickEvent.class).decode(nullLabel));
    }

    @Test
    void avroOutputIsReadByTheGeneratedClassesAlone() throws Exception {
        Prediction p = Prediction.newBuilder().setEventId("e1").setEventTime(Instant.ofEpochMilli(T0)).setScore(0.25)
                .setModel("deepfm").setModelVersion(7).setScoredAt(Instant.ofEpochMilli(T0 + 5)).build();
        byte[] bytes = OutputFormat.AVRO.serializer(Prediction.class).serialize("t", p);
        assertEquals(p, Prediction.getDecoder().decode(bytes), "README's one line for Java consumers");
    }

    @Test
    void theSettingOffersExactlyTheFormatsThereAre() {
        for (String label : OutputFormat.labels()) {
            assertTrue(Settings.OUTPUT_FORMAT.valid().test(label), label);
        }
        assertEquals("one of " + String.join(", ", OutputFormat.labels()), Settings.OUTPUT_FORMAT.expected());
    }

    private static List<String> fieldNames(Schema s) {
        return s.getFields().stream().map(Schema.Field::name).toList();
    }

    private static List<String> names(JsonNode node) {
        List<String> out = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            out.add(it.next());
        }
        return out;
    }
}
