package dev.streamfm.stream;

import dev.streamfm.rejection.RejectReason;
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
import org.apache.kafka.streams.state.KeyValueStore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Scores events in micro-batches with one TensorFlow call per batch and labels them: it forwards
 * one {@link Prediction} per event (keyed by event id) and one {@link LabeledExample} per event
 * whose attribution window closed (keyed by model, for the trainer).
 *
 * <p>Kafka Streams may commit an event's offset before its batch is scored, so an event is held
 * in the logged attribution store from the moment it is read, and the earliest time of the open
 * batch is logged too: init(), which runs after the stores are restored, scores again what a
 * crashed instance left unscored, and starts from an empty batch when Kafka Streams
 * re-initialises a processor it closed.
 */
final class ScoringProcessor implements Processor<String, ScorerInput, String, SpecificRecord> {

    static final String PENDING_SINCE_STORE = "scoring-pending-since";
    static final String OPEN_STORE = "attribution-open";
    static final String LABELS_STORE = "attribution-labels";
    static final String IDS_STORE = "attribution-ids";
    private static final String SINCE = "since";

    private final ScorerSettings settings;
    private final FeatureSpec spec;
    private final ModelReplica replica;
    private final StreamfmMetrics metrics;
    private final ServedEvaluation served;
    private final List<AttributionWindow.Unscored> pending = new ArrayList<>();
    private BatchBuilder builder;
    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, Long> pendingSince;
    private AttributionWindow attribution;
    private long since;

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
        this.pendingSince = context.getStateStore(PENDING_SINCE_STORE);
        KeyValueStore<Bytes, byte[]> open = context.getStateStore(OPEN_STORE);
        KeyValueStore<String, byte[]> labels = context.getStateStore(LABELS_STORE);
        KeyValueStore<String, Long> ids = context.getStateStore(IDS_STORE);
        this.attribution = new AttributionWindow(open, labels, ids, settings, context::currentSystemTimeMs,
                () -> metrics.onDeadLetter(RejectReason.ORPHAN_LABEL.label()), "scorer task " + context.taskId());
        this.builder = new BatchBuilder(spec, new FeatureStats(), settings.batchSize());
        pending.clear();
        Long restored = pendingSince.get(SINCE);
        if (restored != null) {
            since = restored;
            pending.addAll(attribution.unscoredSince(since));
        }
        context.schedule(settings.batchMaxWait(), PunctuationType.WALL_CLOCK_TIME, now -> flush());
    }

    @Override
    public void process(Record<String, ScorerInput> record) {
        if (record.value() instanceof ScorerInput.Event e) {
            if (settings.dropDuplicates() && attribution.holds(e.event().getEventId(), record.timestamp())) {
                metrics.onDuplicate("events");
            } else {
                onEvent(record.timestamp(), e);
            }
        } else if (record.value() instanceof ScorerInput.LabelArrived l) {
            if (settings.dropDuplicates() && attribution.repeats(l.label())) {
                metrics.onDuplicate("labels");
            } else {
                attribution.label(l.label(), record.timestamp(), outcomes);
            }
        }
        if (pending.isEmpty()) {
            attribution.releaseClosed(outcomes);
        }
    }

    private void onEvent(long timestamp, ScorerInput.Event received) {
        ClickEvent event = received.event();
        if (pending.isEmpty() || timestamp < since) {
            since = timestamp;
            pendingSince.put(SINCE, since);
        }
        pending.add(attribution.hold(received, timestamp));
        if (event.getLabel() != null) {
            attribution.arrivedLabeled(event, timestamp, outcomes);
        }
        if (pending.size() >= settings.batchSize()) {
            flush();
        }
    }

    private void flush() {
        if (pending.isEmpty()) {
            // Labels falling silent close windows with no record read: the clock releases them too.
            attribution.releaseClosed(outcomes);
            return;
        }
        ModelReplica.Scored scored = replica.score(BatchBuilders.ofValidated(builder, pending,
                AttributionWindow.Unscored::event));
        long now = System.currentTimeMillis();
        for (int i = 0; i < pending.size(); i++) {
            AttributionWindow.Unscored u = pending.get(i);
            double score = scored.probabilities()[i];
            Prediction out = Prediction.newBuilder().setEventId(u.eventId()).setEventTime(u.event().getEventTime())
                    .setScore(score).setModel(settings.modelName()).setModelVersion(scored.version())
                    .setScoredAt(Instant.ofEpochMilli(now)).build();
            context.forward(new Record<>(u.eventId(), out, u.timestamp()));
            metrics.onPrediction(settings.modelName(), Math.max(0, now - u.timestamp()) / 1000.0);
            attribution.scored(u, score, outcomes);
        }
        pending.clear();
        pendingSince.delete(SINCE);
        attribution.releaseClosed(outcomes);
    }

    /** Examples go to the trainer (keyed by model); closed windows feed the served-model evaluation. */
    private final AttributionWindow.Outcomes outcomes = new AttributionWindow.Outcomes() {
        @Override
        public void train(ClickEvent event, long timestamp, int label) {
            LabeledExample example = LabeledExample.newBuilder().setEvent(event).setLabel(label)
                    .setLabeledAt(Instant.ofEpochMilli(context.currentSystemTimeMs())).build();
            context.forward(new Record<>(settings.modelName(), example, timestamp));
        }

        @Override
        public void closed(double score, int label) {
            served.add(score, label);
        }
    };
}
