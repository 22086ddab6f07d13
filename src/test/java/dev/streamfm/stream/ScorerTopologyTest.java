package dev.streamfm.stream;

import dev.streamfm.config.ModelSetup;
import dev.streamfm.config.Settings;
import dev.streamfm.config.StreamfmConfig;
import dev.streamfm.config.Topics;
import dev.streamfm.features.BatchBuilder;
import dev.streamfm.features.FeatureStats;
import dev.streamfm.metrics.StreamfmMetrics;
import dev.streamfm.model.Model;
import dev.streamfm.model.Models;
import dev.streamfm.schema.ClickEvent;
import dev.streamfm.schema.DeadLetter;
import dev.streamfm.schema.Label;
import dev.streamfm.schema.LabeledExample;
import dev.streamfm.schema.Prediction;
import dev.streamfm.stream.serde.AvroSerde;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scoring and labeling topologies on crafted input, driven by TopologyTestDriver. */
class ScorerTopologyTest {

    private static final long T0 = 1_700_000_000_000L;
    private static final int WINDOW_MS = 10_000;

    @TempDir
    Path state;

    private PrometheusRegistry registry;
    private StreamfmConfig cfg;
    private ModelSetup setup;
    private ModelReplica replica;
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> events;
    private TestInputTopic<String, byte[]> labels;
    private TestOutputTopic<String, Prediction> predictions;
    private TestOutputTopic<String, DeadLetter> deadLetters;
    private TestOutputTopic<String, LabeledExample> examples;

    @BeforeEach
    void setUp() {
        start(Map.of());
    }

    /** Restarts the driver with another streamfm.labeling.feedback. */
    private void restartWith(String feedback) {
        tearDown();
        start(Map.of("streamfm.labeling.feedback", feedback));
    }

    /** Builds the topology and the driver; extra settings override the test's defaults. */
    private void start(Map<String, String> extra) {
        Map<String, String> settings = new java.util.HashMap<>(Map.of("bootstrap.servers", "unused:9092",
                "streamfm.scoring.batch.size", "4", "streamfm.scoring.batch.max.ms", "5",
                "streamfm.labeling.window.ms", Integer.toString(WINDOW_MS), "streamfm.labeling.grace.ms", "0",
                "streamfm.model.type", "fm",
                "streamfm.processing.guarantee", "at_least_once", "streamfm.state.dir", state.toString()));
        settings.putAll(extra);
        cfg = StreamfmConfig.load(null, Map.of(), settings);
        registry = new PrometheusRegistry();
        setup = ModelSetup.from(cfg);
        StreamfmMetrics metrics = new StreamfmMetrics(registry);
        replica = new ModelReplica(Models.create(setup.modelConfig(), setup.spec().layout()), setup.fingerprint(),
                (b, s) -> {
                }, reason -> {
                });
        driver = new TopologyTestDriver(ScorerTopology.build(cfg, setup.spec(), replica, metrics),
                StreamsProperties.of(cfg, ServiceRole.SCORER, metrics));
        Topics t = cfg.topics();
        events = driver.createInputTopic(t.events(), new StringSerializer(), new ByteArraySerializer());
        labels = driver.createInputTopic(t.labels(), new StringSerializer(), new ByteArraySerializer());
        predictions = driver.createOutputTopic(t.predictions(), new StringDeserializer(),
                AvroSerde.of(Prediction.class).deserializer());
        deadLetters = driver.createOutputTopic(t.deadLetters(), new StringDeserializer(),
                AvroSerde.of(DeadLetter.class).deserializer());
        examples = driver.createOutputTopic(t.examples(), new StringDeserializer(),
                AvroSerde.of(LabeledExample.class).deserializer());
    }

    @AfterEach
    void tearDown() {
        driver.close();
        replica.close();
    }

    private static ClickEvent event(String id, long time, Integer label) {
        return ClickEvent.newBuilder().setEventId(id).setEventTime(Instant.ofEpochMilli(time))
                .setCategorical(Map.of("f0", "v" + id.length(), "f1", "v" + id.hashCode() % 7, "f3", "v1"))
                .setLabel(label).build();
    }

    private static byte[] avro(ClickEvent e) {
        return AvroSerde.of(ClickEvent.class).serializer().serialize("t", e);
    }

    private void send(ClickEvent e) {
        events.pipeInput(e.getEventId(), avro(e), e.getEventTime().toEpochMilli());
    }

    /**
     * Lets the wall clock pass the labels' idle time: labels no longer hold windows open, and the
     * next event closes every window its time passed (README, "Delayed labels").
     */
    private void labelsFallSilent() {
        driver.advanceWallClockTime(Duration.ofMillis(Long.parseLong(Settings.LABEL_IDLE_MS.defaultValue())));
    }

    private void sendLabel(String id, long time, int label) {
        labels.pipeInput(id, AvroSerde.of(Label.class).serializer().serialize("t",
                new Label(id, Instant.ofEpochMilli(time), label)), time);
    }

    @Test
    void everyValidEventGetsOnePredictionFromTheReplicasModel() throws Exception {
        List<ClickEvent> sent = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            sent.add(event("e" + i, T0 + i, null));
            send(sent.get(i));
        }
        String json = "{\"event_id\":\"j1\",\"event_time\":" + (T0 + 7) + ",\"categorical\":{\"f0\":\"v2\"}}";
        events.pipeInput("j1", json.getBytes(StandardCharsets.UTF_8), T0 + 7);
        sent.add(ClickEvent.newBuilder().setEventId("j1").setEventTime(Instant.ofEpochMilli(T0 + 7))
                .setCategorical(Map.of("f0", "v2")).build());
        assertEquals(4, predictions.getQueueSize(), "a full batch of 4 is scored at once");
        driver.advanceWallClockTime(Duration.ofMillis(10));

        Map<String, Prediction> byId = new LinkedHashMap<>();
        for (TestRecord<String, Prediction> r : predictions.readRecordsToList()) {
            assertEquals(r.key(), r.value().getEventId());
            byId.put(r.key(), r.value());
        }
        assertEquals(sent.size(), byId.size());
        try (Model independent = Models.create(setup.modelConfig(), setup.spec().layout())) {
            BatchBuilder b = new BatchBuilder(setup.spec(), new FeatureStats(), sent.size());
            for (ClickEvent e : sent) {
                b.add(e);
            }
            float[] expected = independent.predict(b.build());
            for (int i = 0; i < sent.size(); i++) {
                Prediction p = byId.get(sent.get(i).getEventId());
                assertEquals(expected[i], p.getScore(), 1e-6, "score of " + p.getEventId());
                assertEquals(0L, p.getModelVersion());
                assertEquals("deepfm", p.getModel());
            }
        }
    }

    @Test
    void badRecordsGoToTheDeadLetterTopicWithTheirReasonAndTheStreamGoesOn() {
        Map<String, byte[]> bad = new LinkedHashMap<>();
        bad.put("random", new byte[]{0x13, 0x37, 0x42, 0x00, 0x01});
        bad.put("json", "{\"event_id\": \"x\", ".getBytes(StandardCharsets.UTF_8));
        bad.put("label", AvroSerde.of(Label.class).serializer().serialize("t", new Label("x", Instant.now(), 1)));
        bad.put("nan", avro(ClickEvent.newBuilder(event("n", T0, null)).setNumeric(Map.of("f2", Double.NaN)).build()));
        bad.put("long", avro(ClickEvent.newBuilder(event("l", T0, null))
                .setCategorical(Map.of("f0", "x".repeat(100_000))).build()));
        bad.put("noid", avro(ClickEvent.newBuilder(event("", T0, null)).build()));
        bad.put("unknown", ("{\"event_id\":\"u\",\"event_time\":1,\"colour\":\"red\"}").getBytes(StandardCharsets.UTF_8));
        Map<String, Set<String>> expected = Map.of("random", Set.of("undecodable"), "json", Set.of("malformed_json"),
                "label", Set.of("unknown_schema", "schema_mismatch"), "nan", Set.of("non_finite_number", "wrong_type"),
                "long", Set.of("oversized_string", "record_too_large"), "noid", Set.of("missing_event_id"),
                "unknown", Set.of("unknown_field"));
        int good = 0;
        for (Map.Entry<String, byte[]> e : bad.entrySet()) {
            events.pipeInput(e.getKey(), e.getValue(), T0);
            send(event("good" + good++, T0, null));
        }
        driver.advanceWallClockTime(Duration.ofMillis(10));

        List<DeadLetter> dlq = deadLetters.readValuesToList();
        assertEquals(bad.size(), dlq.size());
        for (DeadLetter d : dlq) {
            String key = new String(bytes(d.getKey()), StandardCharsets.UTF_8);
            assertTrue(expected.get(key).contains(d.getReason()), key + " rejected as " + d.getReason() + ": "
                    + d.getErrorMessage());
            assertArrayEquals(bad.get(key), bytes(d.getValue()), "original bytes of " + key);
            assertEquals(cfg.topics().events(), d.getSourceTopic());
            assertTrue(!d.getErrorMessage().isBlank());
        }
        assertEquals(good, predictions.readValuesToList().size(), "valid events around the bad ones");
        assertEquals(bad.size(), deadLetterCount(), "streamfm_dead_letters_total");
    }

    /** The attribution store keeps an Avro event's bytes as they came and encodes a JSON one: both come back whole. */
    @Test
    void anExampleCarriesItsEventWholeWhetherItCameAsAvroOrJson() {
        ClickEvent avro = event("A", T0, null);
        send(avro);
        String json = "{\"event_id\":\"J\",\"event_time\":" + (T0 + 1) + ",\"categorical\":{\"f0\":\"v2\"}}";
        events.pipeInput("J", json.getBytes(StandardCharsets.UTF_8), T0 + 1);
        ClickEvent fromJson = ClickEvent.newBuilder().setEventId("J").setEventTime(Instant.ofEpochMilli(T0 + 1))
                .setCategorical(Map.of("f0", "v2")).build();
        labelsFallSilent();
        send(event("closer", T0 + 3 * WINDOW_MS, null));
        driver.advanceWallClockTime(Duration.ofMillis(10));
        assertEquals(List.of(avro, fromJson),
                examples.readValuesToList().stream().map(LabeledExample::getEvent).toList());
    }

    @Test
    void examplesAreReleasedWhenTheirWindowClosesInEventTimeOrder() {
        send(event("A", T0, null));
        send(event("B", T0 + 1, null));
        send(event("E", T0 + 2, 1));
        driver.advanceWallClockTime(Duration.ofMillis(10));
        assertEquals(List.of("E"), ids(examples.readValuesToList()), "a labeled event skips the wait");

        sendLabel("B", T0 + 1_000, 1);
        sendLabel("D", T0 + 3, 1);
        assertTrue(examples.isEmpty(), "a click waits for its window to close, like the non-clicks around it");

        labelsFallSilent();
        send(event("C", T0 + WINDOW_MS + 100, null));
        driver.advanceWallClockTime(Duration.ofMillis(10));
        List<LabeledExample> closed = examples.readValuesToList();
        assertEquals(List.of("A", "B"), ids(closed), "both windows closed, released in event-time order");
        assertEquals(List.of(0, 1), closed.stream().map(LabeledExample::getLabel).toList());
        assertEquals(1, orphanCount(), "label D matched no event");

        sendLabel("A", T0 + WINDOW_MS + 200, 1);
        labelsFallSilent();
        send(event("F", T0 + 3 * WINDOW_MS, null));
        driver.advanceWallClockTime(Duration.ofMillis(10));
        assertEquals(List.of("C"), ids(examples.readValuesToList()),
                "only C's window closed; A's late click made no second example");
        assertEquals(2, orphanCount(), "A's late label is an orphan too");
    }

    @Test
    void eventsWhoseWindowClosedWhileTheyWaitedInABatchAreReleasedInEventTimeOrderWithTheOthers() {
        labelsFallSilent(); // no labels in this test: events alone close windows
        send(event("A", T0, null));
        send(event("B", T0 + 5, null));
        driver.advanceWallClockTime(Duration.ofMillis(10));
        assertEquals(2, predictions.readValuesToList().size(), "A and B scored, their windows still open");

        // One batch: C and D are older than B, and X closes the windows of all four before the
        // batch is scored.
        send(event("C", T0 + 3, null));
        send(event("X", T0 + WINDOW_MS + 100, null));
        send(event("D", T0 + 2, null));
        assertTrue(examples.isEmpty(), "nothing is released while a batch waits to be scored");
        driver.advanceWallClockTime(Duration.ofMillis(10));
        assertEquals(3, predictions.readValuesToList().size(), "the batch is scored");
        assertEquals(List.of("A", "D", "C", "B"), ids(examples.readValuesToList()),
                "every closed window released once the batch is scored, in event-time order");

        send(event("Y", T0 + 3 * WINDOW_MS, null));
        driver.advanceWallClockTime(Duration.ofMillis(10));
        assertEquals(List.of("X"), ids(examples.readValuesToList()));
    }

    @Test
    void aLabelThatArrivesBeforeItsEventStillMakesAPositive() {
        sendLabel("G", T0 + 500, 1);
        sendLabel("Z", T0 + 10 * WINDOW_MS, 1); // labels read far ahead of the events close no window
        send(event("G", T0, null));
        send(event("H", T0 + 10, null));
        send(event("late", T0 + 3 * WINDOW_MS, null));
        driver.advanceWallClockTime(Duration.ofMillis(10));
        List<LabeledExample> out = examples.readValuesToList();
        assertEquals(List.of("G", "H"), ids(out));
        assertEquals(List.of(1, 0), out.stream().map(LabeledExample::getLabel).toList());
        assertEquals(0, orphanCount());

        send(event("old", T0 + 20, null));
        driver.advanceWallClockTime(Duration.ofMillis(10));
        assertEquals(List.of("old"), ids(examples.readValuesToList()),
                "an event whose window closed before it arrived is scored and released at once, never dropped");
        assertEquals(4, predictions.readValuesToList().size(), "one prediction per event");
    }

    @Test
    void aLabelReadAfterEventsStampedLaterStillMakesAPositiveWhileLabelsFlow() {
        send(event("A", T0, null));
        send(event("ahead", T0 + 3 * WINDOW_MS, null));     // events read far ahead of the labels
        driver.advanceWallClockTime(Duration.ofMillis(10));
        assertTrue(examples.isEmpty(), "no window closes before the first label, while the labels' silence since "
                + "the start is shorter than the idle time");

        sendLabel("A", T0 + 5, 1);                          // A's click, read late
        driver.advanceWallClockTime(Duration.ofMillis(10));
        assertTrue(examples.isEmpty(), "no window closes past the newest label while labels flow");
        sendLabel("tick", T0 + 2 * WINDOW_MS, 0);           // the labels catch up with the events
        send(event("next", T0 + 3 * WINDOW_MS + 1, null));
        driver.advanceWallClockTime(Duration.ofMillis(10));
        List<LabeledExample> out = examples.readValuesToList();
        assertEquals(List.of("A"), ids(out), "A's window closed once the labels passed it");
        assertEquals(1, out.get(0).getLabel(), "the late click counted");
        assertEquals(0, orphanCount());

        labelsFallSilent();
        send(event("last", T0 + 5 * WINDOW_MS, null));
        driver.advanceWallClockTime(Duration.ofMillis(10));
        assertEquals(List.of("ahead", "next"), ids(examples.readValuesToList()),
                "labels silent for the idle time hold no window open");
        assertEquals(1, orphanCount(), "tick, without an event, is an orphan");
    }

    @Test
    void everyClickOfAnInterleavedStreamBecomesAPositive() {
        int n = 3_000;
        Set<String> clicked = sendInterleavedClicks(n, 1);
        List<LabeledExample> out = examples.readValuesToList();
        assertEquals(n, out.size(), "one example per event");
        long wrong = out.stream().filter(x -> (x.getLabel() == 1) != clicked.contains(x.getEvent().getEventId())).count();
        assertEquals(0, wrong, "examples with the wrong label");
        assertEquals(0, orphanCount());
    }

    @Test
    void anEventFromTheFarFutureIsDeadLetteredAndClosesNoWindow() {
        long now = System.currentTimeMillis();
        send(event("A", now, null));
        sendLabel("A", now + 10, 1);
        ClickEvent micros = event("micros", now * 1000, null);
        events.pipeInput(micros.getEventId(), avro(micros), now * 1000);
        driver.advanceWallClockTime(Duration.ofMillis(10));
        List<DeadLetter> dlq = deadLetters.readValuesToList();
        assertEquals(List.of("timestamp_out_of_range"), dlq.stream().map(DeadLetter::getReason).toList());
        assertTrue(examples.isEmpty(), "A's window is still open");
        labelsFallSilent();
        send(event("closer", now + 2 * WINDOW_MS, null));
        driver.advanceWallClockTime(Duration.ofMillis(10));
        List<LabeledExample> out = examples.readValuesToList();
        assertEquals(List.of("A"), ids(out));
        assertEquals(1, out.get(0).getLabel(), "A's click still counted");
    }

    @Test
    void fakeNegativeFeedbackTrainsEveryEventAtOnceAndEveryClickAgainAsAPositive() {
        restartWith("fake-negative");
        sendLabel("early", T0 + 50, 1);          // a click read before its event
        send(event("early", T0, null));
        send(event("A", T0 + 1, null));
        send(event("B", T0 + 2, null));
        send(event("P", T0 + 3, 1));              // arrives labeled
        driver.advanceWallClockTime(Duration.ofMillis(10));
        List<LabeledExample> first = examples.readValuesToList();
        assertEquals(List.of("P", "P", "early", "early", "A", "B"), ids(first));
        assertEquals(List.of(0, 1, 0, 1, 0, 0), labels(first),
                "every event once as a negative, at once; the early click right after its negative");

        sendLabel("A", T0 + 1_000, 1);
        List<LabeledExample> click = examples.readValuesToList();
        assertEquals(List.of("A"), ids(click), "a click for a scored event goes out when it arrives");
        assertEquals(List.of(1), labels(click));
        sendLabel("A", T0 + 1_001, 1);
        sendLabel("B", T0 + WINDOW_MS + 500, 1);   // after B's window
        sendLabel("B", T0 + 700, 0);               // an explicit non-click adds nothing
        assertTrue(examples.isEmpty(), "a repeated click, a late click and a non-click send no example");

        send(event("C", T0 + 3 * WINDOW_MS, null));
        driver.advanceWallClockTime(Duration.ofMillis(10));
        assertEquals(List.of("C"), ids(examples.readValuesToList()),
                "closing the windows sends nothing more: the trainer had every example already");
        assertEquals(0, orphanCount(), "B's late click is its latest label, taken when B closed");
        assertEquals(5, predictions.readValuesToList().size(), "one prediction per event");
    }

    @Test
    void underFakeNegativeFeedbackEveryClickOfAnInterleavedStreamIsTrainedOnceAsAPositive() {
        restartWith("fake-negative");
        int n = 2_000;
        Set<String> clicked = sendInterleavedClicks(n, 2);
        List<LabeledExample> out = examples.readValuesToList();
        Map<String, Long> negatives = countById(out, 0);
        Map<String, Long> positives = countById(out, 1);
        assertEquals(n + 1, negatives.size(), "every event once as a negative");
        assertTrue(negatives.values().stream().allMatch(c -> c == 1));
        assertEquals(clicked, positives.keySet(), "exactly the clicked events as positives");
        assertTrue(positives.values().stream().allMatch(c -> c == 1), "each once");
        assertEquals(0, orphanCount());
    }

    /**
     * Sends n events 1 ms apart, a quarter of them clicked with labels up to 200 ms later,
     * interleaved by time, then an event that closes every window; returns the clicked ids.
     */
    private Set<String> sendInterleavedClicks(int n, long seed) {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
        java.util.TreeMap<Long, String> due = new java.util.TreeMap<>();
        Set<String> clicked = new java.util.HashSet<>();
        for (int i = 0; i < n; i++) {
            long t = T0 + i;
            while (!due.isEmpty() && due.firstKey() <= t) {
                var d = due.pollFirstEntry();
                sendLabel(d.getValue(), d.getKey(), 1);
            }
            send(event("x" + i, t, null));
            if (rnd.nextInt(4) == 0) {
                clicked.add("x" + i);
                long at = t + 1 + rnd.nextLong(200);
                while (due.containsKey(at)) {
                    at++;
                }
                due.put(at, "x" + i);
            }
        }
        due.forEach((at, id) -> sendLabel(id, at, 1));
        labelsFallSilent();
        send(event("closer", T0 + n + 3 * WINDOW_MS, null));
        driver.advanceWallClockTime(Duration.ofMillis(10));
        return clicked;
    }

    private static Map<String, Long> countById(List<LabeledExample> out, int label) {
        return out.stream().filter(x -> x.getLabel() == label).collect(java.util.stream.Collectors.groupingBy(
                x -> x.getEvent().getEventId().toString(), java.util.stream.Collectors.counting()));
    }

    private static List<Integer> labels(List<LabeledExample> examples) {
        return examples.stream().map(LabeledExample::getLabel).toList();
    }

    @Test
    void recordsWithoutATimestampOrFarFromTheirEventTimeAreDeadLetteredAndTheStreamGoesOn() {
        ClickEvent none = event("none", T0, null);
        events.pipeInput(new TestRecord<>("none", avro(none), new RecordHeaders(), Instant.ofEpochMilli(-1)));
        labels.pipeInput(new TestRecord<>("L", AvroSerde.of(Label.class).serializer().serialize("t",
                new Label("L", Instant.ofEpochMilli(T0), 1)), new RecordHeaders(), Instant.ofEpochMilli(-5)));
        ClickEvent seconds = event("seconds", T0, null);
        events.pipeInput("seconds", avro(seconds), T0 / 1000);
        send(event("good", T0, null));
        driver.advanceWallClockTime(Duration.ofMillis(10));

        List<DeadLetter> dlq = deadLetters.readValuesToList();
        assertEquals(List.of("timestamp_out_of_range", "timestamp_out_of_range", "timestamp_out_of_range"),
                dlq.stream().map(DeadLetter::getReason).toList());
        assertTrue(dlq.get(0).getErrorMessage().contains("-1"), dlq.get(0).getErrorMessage());
        assertTrue(dlq.get(2).getErrorMessage().contains("event_time"), dlq.get(2).getErrorMessage());
        assertEquals(List.of("good"), predictions.readValuesToList().stream().map(Prediction::getEventId).toList());
    }

    @Test
    void anOldRecordIsDeadLetteredWhenAMaximumAgeIsSet() {
        tearDown();
        start(Map.of("streamfm.input.max.age.ms", "1d"));
        long now = System.currentTimeMillis();
        send(event("old", now - Duration.ofDays(2).toMillis(), null));
        send(event("recent", now - Duration.ofHours(2).toMillis(), null));
        driver.advanceWallClockTime(Duration.ofMillis(10));
        List<DeadLetter> dlq = deadLetters.readValuesToList();
        assertEquals(List.of("old"), dlq.stream().map(d -> new String(bytes(d.getKey()), StandardCharsets.UTF_8))
                .toList());
        assertEquals("timestamp_out_of_range", dlq.get(0).getReason());
        assertEquals(List.of("recent"), predictions.readValuesToList().stream().map(Prediction::getEventId).toList());
    }

    @Test
    void recordsNotKeyedByTheirEventIdAreDeadLettered() {
        events.pipeInput(null, avro(event("A", T0, null)), T0);
        events.pipeInput("other", avro(event("B", T0, null)), T0);
        labels.pipeInput("other", AvroSerde.of(Label.class).serializer().serialize("t",
                new Label("C", Instant.ofEpochMilli(T0), 1)), T0);
        send(event("good", T0, null));
        driver.advanceWallClockTime(Duration.ofMillis(10));

        List<DeadLetter> dlq = deadLetters.readValuesToList();
        assertEquals(List.of("key_mismatch", "key_mismatch", "key_mismatch"),
                dlq.stream().map(DeadLetter::getReason).toList());
        assertTrue(dlq.get(1).getErrorMessage().contains("'other'"), dlq.get(1).getErrorMessage());
        assertEquals(List.of("good"), predictions.readValuesToList().stream().map(Prediction::getEventId).toList());
    }

    @Test
    void duplicateEventsAndLabelsWithinTheWindowAreDroppedAndCounted() {
        tearDown();
        start(Map.of("streamfm.processing.guarantee", "exactly_once_v2"));
        ClickEvent a = event("A", T0, null);
        send(a);
        send(a);
        sendLabel("A", T0 + 5, 1);
        sendLabel("A", T0 + 5, 1);
        send(event("B", T0 + 1, null));
        labelsFallSilent();
        send(event("closer", T0 + 2 * WINDOW_MS, null));
        driver.advanceWallClockTime(Duration.ofMillis(10));

        assertEquals(List.of("A", "B", "closer"),
                predictions.readValuesToList().stream().map(Prediction::getEventId).sorted().toList());
        List<LabeledExample> out = examples.readValuesToList();
        assertEquals(List.of("A", "B"), ids(out), "one example per event");
        assertEquals(List.of(1, 0), out.stream().map(LabeledExample::getLabel).toList());
        assertEquals(1, duplicates("events"));
        assertEquals(1, duplicates("labels"));
        assertEquals(0, orphanCount());
        assertTrue(deadLetters.isEmpty(), "a duplicate is not bad data");
    }

    private double duplicates(String input) {
        return counter("streamfm_duplicates", "input", input);
    }

    private static List<String> ids(List<LabeledExample> examples) {
        return examples.stream().map(x -> x.getEvent().getEventId()).toList();
    }

    private static byte[] bytes(ByteBuffer b) {
        ByteBuffer d = b.duplicate();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return out;
    }

    private double orphanCount() {
        return deadLetters("orphan_label");
    }

    private double deadLetterCount() {
        return deadLetters(null) - deadLetters("orphan_label");
    }

    private double deadLetters(String reason) {
        return counter("streamfm_dead_letters", "reason", reason);
    }

    /** A counter's value summed over the data points whose label has the value (null = all). */
    private double counter(String name, String label, String value) {
        double n = 0;
        for (MetricSnapshot m : registry.scrape()) {
            if (m instanceof CounterSnapshot c && m.getMetadata().getPrometheusName().equals(name)) {
                for (CounterSnapshot.CounterDataPointSnapshot d : c.getDataPoints()) {
                    if (value == null || value.equals(d.getLabels().get(label))) {
                        n += d.getValue();
                    }
                }
            }
        }
        return n;
    }
}
