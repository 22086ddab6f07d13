package dev.streamfm.stream;

import dev.streamfm.features.BatchBuilder;
import dev.streamfm.features.FeatureSpec;
import dev.streamfm.features.FeatureStats;
import dev.streamfm.metrics.StreamfmMetrics;
import dev.streamfm.schema.ClickEvent;
import dev.streamfm.schema.LabeledExample;
import dev.streamfm.schema.Prediction;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Scores events in micro-batches with one TensorFlow call per batch and labels them: it forwards
 * one {@link Prediction} per event (keyed by event id) and one {@link LabeledExample} per event
 * whose attribution window closed (keyed by model, for the trainer).
 *
 * <p>A pending event lives in a logged store until its score is forwarded: Kafka Streams may
 * commit the event's offset before the batch closes, and a crash would then lose the event if
 * the batch were only in memory. The store is in memory with a cache, so an event scored within
 * a commit interval costs one changelog tombstone. init() runs after the stores are restored:
 * it reloads what a crashed instance left pending, and starts from an empty batch when Kafka
 * Streams re-initialises a processor it closed.
 */
final class ScoringProcessor implements Processor<String, ScorerInput, String, SpecificRecord> {

    static final String PENDING_STORE = "scoring-pending";
    static final String OPEN_STORE = "attribution-open";
    static final String LABELS_STORE = "attribution-labels";

    private final ScorerSettings settings;
    private final FeatureSpec spec;
    private final ModelReplica replica;
    private final StreamfmMetrics metrics;
    private final ServedEvaluation served;
    private final List<PendingEvent> pending = new ArrayList<>();
    private BatchBuilder builder;
    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<Long, byte[]> store;
    private AttributionWindow attribution;

    ScoringProcessor(ScorerSettings settings, FeatureSpec spec, ModelReplica replica, StreamfmMetrics metrics,
                     ServedEvaluation served) {
        this.settings = settings;
        this.spec = spec;
        this.replica = replica;
        this.metrics = metrics;
        this.served = served;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.store = context.getStateStore(PENDING_STORE);
        KeyValueStore<Bytes, byte[]> open = context.getStateStore(OPEN_STORE);
        KeyValueStore<String, byte[]> labels = context.getStateStore(LABELS_STORE);
        this.attribution = new AttributionWindow(open, labels, settings.windowMs(), settings.graceMs(),
                () -> metrics.onDeadLetter(RejectReason.ORPHAN_LABEL.label()));
        this.builder = new BatchBuilder(spec, new FeatureStats(), settings.batchSize());
        pending.clear();
        try (KeyValueIterator<Long, byte[]> it = store.all()) {
            it.forEachRemaining(kv -> pending.add(PendingEventCodec.decode(kv.key, kv.value)));
        }
        context.schedule(settings.batchMaxWait(), PunctuationType.WALL_CLOCK_TIME, now -> flush());
    }

    @Override
    public void process(Record<String, ScorerInput> record) {
        if (record.value() instanceof ScorerInput.Event e) {
            onEvent(record, e.event());
        } else if (record.value() instanceof ScorerInput.LabelArrived l) {
            attribution.label(l.label(), record.timestamp());
        }
        // Events still in the batch are not in the attribution store yet, and a label they need
        // must not expire before they are: release only between batches.
        if (pending.isEmpty()) {
            attribution.releaseClosed(this::forwardExample);
        }
    }

    private void onEvent(Record<String, ScorerInput> record, ClickEvent event) {
        long offset = context.recordMetadata().orElseThrow().offset();
        PendingEvent p = PendingEventCodec.pending(offset, record.key(), record.timestamp(), event);
        store.put(offset, PendingEventCodec.encode(p));
        pending.add(p);
        attribution.observe(record.timestamp());
        if (event.getLabel() != null) {
            // An event that arrives labeled needs no window: its example goes to the trainer at once.
            forwardExample(new AttributionWindow.Released(event, record.timestamp(), event.getLabel(), Double.NaN));
        }
        if (pending.size() >= settings.batchSize()) {
            flush();
        }
    }

    private void flush() {
        if (pending.isEmpty()) {
            return;
        }
        ModelReplica.Scored scored = replica.score(BatchBuilders.ofValidated(builder, pending, PendingEvent::event));
        long now = System.currentTimeMillis();
        for (int i = 0; i < pending.size(); i++) {
            PendingEvent p = pending.get(i);
            double score = scored.probabilities()[i];
            ClickEvent e = p.event();
            Prediction out = Prediction.newBuilder().setEventId(e.getEventId()).setEventTime(e.getEventTime())
                    .setScore(score).setModel(settings.modelName()).setModelVersion(scored.version())
                    .setScoredAt(Instant.ofEpochMilli(now)).build();
            context.forward(new Record<>(p.key(), out, p.timestamp()));
            store.delete(p.offset());
            metrics.onPrediction(settings.modelName(), Math.max(0, now - p.timestamp()) / 1000.0);
            if (e.getLabel() == null) {
                attribution.open(e.getEventId(), p.timestamp(), p.avro(), score, this::forwardExample);
            }
        }
        pending.clear();
        attribution.releaseClosed(this::forwardExample);
    }

    private void forwardExample(AttributionWindow.Released r) {
        LabeledExample example = LabeledExample.newBuilder().setEvent(r.event()).setLabel(r.label())
                .setLabeledAt(Instant.ofEpochMilli(context.currentSystemTimeMs())).build();
        context.forward(new Record<>(settings.modelName(), example, r.timestamp()));
        if (!Double.isNaN(r.score())) {
            served.add(r.score(), r.label());
        }
    }
}
