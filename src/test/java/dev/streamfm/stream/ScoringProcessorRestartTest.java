package dev.streamfm.stream;

import dev.streamfm.config.ModelSetup;
import dev.streamfm.config.Settings;
import dev.streamfm.config.StreamfmConfig;
import dev.streamfm.metrics.StreamfmMetrics;
import dev.streamfm.model.Models;
import dev.streamfm.schema.ClickEvent;
import dev.streamfm.schema.LabeledExample;
import dev.streamfm.schema.Prediction;
import dev.streamfm.stream.serde.AvroSerde;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What survives a restart of the scoring processor lives in its stores: a new instance on the
 * same stores (as after a crash, once Kafka Streams has restored them) scores the events the old
 * one read but did not score, once, and releases them when their window closes.
 */
class ScoringProcessorRestartTest {

    private static final long T0 = 1_700_000_000_000L;
    private static final int WINDOW_MS = 1_000;

    private final StreamfmConfig cfg = StreamfmConfig.load(null, Map.of(), Map.of("bootstrap.servers", "unused:9092",
            "streamfm.scoring.batch.size", "4", "streamfm.labeling.window.ms", Integer.toString(WINDOW_MS),
            "streamfm.labeling.grace.ms", "0", "streamfm.model.type", "fm"));
    private final ModelSetup setup = ModelSetup.from(cfg);
    private final StreamfmMetrics metrics = new StreamfmMetrics(new PrometheusRegistry());
    private ModelReplica replica;
    private KeyValueStore<String, Long> since;
    private KeyValueStore<Bytes, byte[]> open;
    private KeyValueStore<String, byte[]> labels;
    private KeyValueStore<String, Long> ids;

    @BeforeEach
    void setUp() {
        replica = new ModelReplica(Models.create(setup.modelConfig(), setup.spec().layout()), setup.fingerprint(),
                (b, s) -> {
                }, reason -> {
                });
        since = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(ScoringProcessor.PENDING_SINCE_STORE),
                Serdes.String(), Serdes.Long()).withLoggingDisabled().build();
        open = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(ScoringProcessor.OPEN_STORE),
                Serdes.Bytes(), Serdes.ByteArray()).withLoggingDisabled().build();
        labels = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(ScoringProcessor.LABELS_STORE),
                Serdes.String(), Serdes.ByteArray()).withLoggingDisabled().build();
        ids = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(ScoringProcessor.IDS_STORE),
                Serdes.String(), Serdes.Long()).withLoggingDisabled().build();
    }

    @AfterEach
    void tearDown() {
        replica.close();
    }

    private MockProcessorContext<String, SpecificRecord> started(ScoringProcessor p) {
        MockProcessorContext<String, SpecificRecord> ctx = new MockProcessorContext<>();
        ctx.setCurrentSystemTimeMs(T0);
        for (var store : List.of(since, open, labels, ids)) {
            store.init(ctx.getStateStoreContext(), store);
            ctx.addStateStore(store);
        }
        p.init(ctx);
        return ctx;
    }

    private ScoringProcessor processor() {
        return processor(cfg);
    }

    private ScoringProcessor processor(StreamfmConfig config) {
        return new ScoringProcessor(ScorerSettings.from(config), setup.spec(), replica, metrics,
                new ServedEvaluation("deepfm", metrics, 100));
    }

    private static Record<String, ScorerInput> event(String id, long t) {
        ClickEvent e = ClickEvent.newBuilder().setEventId(id).setEventTime(Instant.ofEpochMilli(t))
                .setCategorical(Map.of("f0", "v1")).build();
        return new Record<>(id, new ScorerInput.Event(e, AvroSerde.of(ClickEvent.class).encode(e)), t);
    }

    private static List<String> predicted(MockProcessorContext<String, SpecificRecord> ctx) {
        return ctx.forwarded().stream().map(f -> f.record().value()).filter(v -> v instanceof Prediction)
                .map(v -> ((Prediction) v).getEventId()).toList();
    }

    @Test
    void unscoredEventsAreScoredOnceByTheNextInstance() {
        ScoringProcessor first = processor();
        MockProcessorContext<String, SpecificRecord> before = started(first);
        first.process(event("p1", T0));
        first.process(event("p2", T0 + 5));
        assertTrue(predicted(before).isEmpty(), "the batch of 4 is still open when the instance dies");

        ScoringProcessor second = processor();
        MockProcessorContext<String, SpecificRecord> after = started(second);
        second.process(event("p3", T0 + 10));
        after.scheduledPunctuators().get(0).getPunctuator().punctuate(0);
        assertEquals(List.of("p1", "p2", "p3"), predicted(after));
        after.resetForwards();

        // No labels in this test: once they have been silent for the idle time, events alone close windows.
        after.setCurrentSystemTimeMs(T0 + Long.parseLong(Settings.LABEL_IDLE_MS.defaultValue()));
        second.process(event("closer", T0 + 3 * WINDOW_MS));
        List<String> released = after.forwarded().stream().map(f -> f.record().value())
                .filter(v -> v instanceof LabeledExample).map(v -> ((LabeledExample) v).getEvent().getEventId())
                .toList();
        assertEquals(List.of(), released, "the closer is still in its batch, so nothing is released yet");
        after.scheduledPunctuators().get(0).getPunctuator().punctuate(0);
        released = after.forwarded().stream().map(f -> f.record().value())
                .filter(v -> v instanceof LabeledExample).map(v -> ((LabeledExample) v).getEvent().getEventId())
                .toList();
        assertEquals(List.of("p1", "p2", "p3"), released, "released once, in event-time order");
        assertEquals(1, open.approximateNumEntries(), "only the closer still waits");
    }

    @Test
    void underExactlyOnceANewInstanceKnowsTheEventsTheOldOneHeldAsDuplicates() {
        StreamfmConfig exactlyOnce = cfg.with(Map.of("streamfm.processing.guarantee", "exactly_once_v2"));
        ScoringProcessor first = processor(exactlyOnce);
        started(first);
        first.process(event("d1", T0 + 5));
        first.process(event("d0", T0));

        ScoringProcessor second = processor(exactlyOnce);
        MockProcessorContext<String, SpecificRecord> after = started(second);
        second.process(event("d1", T0 + 5));
        second.process(event("d0", T0));
        second.process(event("new", T0 + 6));
        after.scheduledPunctuators().get(0).getPunctuator().punctuate(0);
        assertEquals(List.of("d0", "d1", "new"), predicted(after),
                "the repeats of d0 and of d1 (the newest event held) are dropped, not scored again");
    }
}
