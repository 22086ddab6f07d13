package dev.streamfm.stream;

import dev.streamfm.features.BatchBuilder;
import dev.streamfm.features.FeatureSpec;
import dev.streamfm.features.FeatureStats;
import dev.streamfm.metrics.StreamfmMetrics;
import dev.streamfm.schema.ClickEvent;
import dev.streamfm.schema.ScoredEvent;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Micro-batches events and scores each batch with one TensorFlow call. A pending event lives in
 * a logged store until its score is forwarded: Kafka Streams may commit the event's offset before
 * the batch closes, and a crash would then lose the event if the batch were only in memory
 * (DESIGN section 5). init() runs after the store is restored, so it reloads what a crashed
 * instance left pending.
 */
final class ScoringProcessor implements Processor<String, ClickEvent, String, ScoredEvent> {

    static final String PENDING_STORE = "scoring-pending";

    private final FeatureSpec spec;
    private final ModelReplica replica;
    private final StreamfmMetrics metrics;
    private final String modelName;
    private final int batchSize;
    private final Duration maxWait;
    private final List<PendingEvent> pending = new ArrayList<>();
    private BatchBuilder builder;
    private ProcessorContext<String, ScoredEvent> context;
    private KeyValueStore<Long, byte[]> store;

    ScoringProcessor(FeatureSpec spec, ModelReplica replica, StreamfmMetrics metrics, String modelName, int batchSize,
                     Duration maxWait) {
        this.spec = spec;
        this.replica = replica;
        this.metrics = metrics;
        this.modelName = modelName;
        this.batchSize = batchSize;
        this.maxWait = maxWait;
    }

    @Override
    public void init(ProcessorContext<String, ScoredEvent> context) {
        this.context = context;
        this.store = context.getStateStore(PENDING_STORE);
        this.builder = new BatchBuilder(spec, new FeatureStats(), batchSize);
        try (KeyValueIterator<Long, byte[]> it = store.all()) {
            it.forEachRemaining(kv -> pending.add(PendingEventCodec.decode(kv.key, kv.value)));
        }
        context.schedule(maxWait, PunctuationType.WALL_CLOCK_TIME, now -> flush());
    }

    @Override
    public void process(Record<String, ClickEvent> record) {
        long offset = context.recordMetadata().orElseThrow().offset();
        PendingEvent p = new PendingEvent(offset, record.key(), record.timestamp(), record.value());
        store.put(offset, PendingEventCodec.encode(p));
        pending.add(p);
        if (pending.size() >= batchSize) {
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
            ScoredEvent out = new ScoredEvent(p.event(), (double) scored.probabilities()[i], scored.version());
            context.forward(new Record<>(p.key(), out, p.timestamp()));
            store.delete(p.offset());
            metrics.onPrediction(modelName, Math.max(0, now - p.timestamp()) / 1000.0);
        }
        pending.clear();
    }
}
