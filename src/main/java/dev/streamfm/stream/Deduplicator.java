package dev.streamfm.stream;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

import java.time.Duration;
import java.util.function.Function;

/**
 * Drops a record whose identity was already seen within the attribution window and grace: a
 * producer retry without idempotence, or a replay, would otherwise make a second prediction and
 * a second example of one event. Duplicates are counted, not dead-lettered: they are not bad data.
 * The identities live in a logged window store, which commits with the input offsets and drops
 * what is older than the window by itself.
 */
final class Deduplicator<T> implements FixedKeyProcessor<String, T, T> {

    private final String storeName;
    private final Function<T, String> identity;
    private final long windowMs;
    private final boolean enabled;
    private final Runnable onDuplicate;
    private FixedKeyProcessorContext<String, T> context;
    private WindowStore<String, Long> seen;

    /** @param enabled false passes every record (at-least-once, see ScorerTopology) */
    Deduplicator(String storeName, Function<T, String> identity, long windowMs, boolean enabled, Runnable onDuplicate) {
        this.storeName = storeName;
        this.identity = identity;
        this.windowMs = windowMs;
        this.enabled = enabled;
        this.onDuplicate = onDuplicate;
    }

    /** The store a deduplicator of this name needs, keeping identities for the given span. */
    static StoreBuilder<WindowStore<String, Long>> store(String name, long windowMs) {
        Duration span = Duration.ofMillis(windowMs);
        return Stores.windowStoreBuilder(Stores.persistentWindowStore(name, span, span, false), Serdes.String(),
                Serdes.Long());
    }

    @Override
    public void init(FixedKeyProcessorContext<String, T> context) {
        this.context = context;
        this.seen = context.getStateStore(storeName);
    }

    @Override
    public void process(FixedKeyRecord<String, T> record) {
        if (!enabled) {
            context.forward(record);
            return;
        }
        String id = identity.apply(record.value());
        long t = record.timestamp();
        try (WindowStoreIterator<Long> it = seen.fetch(id, t - windowMs, t + windowMs)) {
            if (it.hasNext()) {
                onDuplicate.run();
                return;
            }
        }
        seen.put(id, t, t);
        context.forward(record);
    }
}
