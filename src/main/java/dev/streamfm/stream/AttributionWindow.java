package dev.streamfm.stream;

import dev.streamfm.schema.ClickEvent;
import dev.streamfm.schema.Label;
import dev.streamfm.stream.serde.AvroSerde;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The label join of one task, kept in two logged stores instead of Kafka Streams' stream-stream
 * outer join, which on every record walked and deserialized its whole outer-join store (43% of
 * the scorer thread at 2000 events/s, profiled) and needed a second join plus a repartition topic
 * for the served-model metrics.
 *
 * <p>{@code open} holds each scored, unlabeled event under a time-first key (event time, then
 * event id), so the events whose window has closed are one ordered range scan, released in
 * event-time order. {@code labels} holds the labels by event id until their event is released.
 * A label may arrive before its event (a backlog read by timestamp, a batch still being scored):
 * it simply waits in the store, so labels never outrun their events.
 *
 * <p>An event is released once stream time has passed its time + window + grace: a positive if a
 * label for it with a time in [event time, event time + window] is there, else a negative. A
 * label that no released event took is an orphan once no event it could match can still come.
 */
final class AttributionWindow {

    /** An example whose attribution window has closed. */
    record Released(ClickEvent event, long timestamp, int label, double score) {
    }

    private static final AvroSerde<ClickEvent> EVENTS = AvroSerde.of(ClickEvent.class);

    private final KeyValueStore<Bytes, byte[]> open;
    private final KeyValueStore<String, byte[]> labels;
    private final long windowMs;
    private final long graceMs;
    private final Runnable onOrphan;
    private final long releaseStepMs;
    private long streamTime = Long.MIN_VALUE;
    private long releasedUpTo = Long.MIN_VALUE;
    private long labelsScannedAt = Long.MIN_VALUE;

    AttributionWindow(KeyValueStore<Bytes, byte[]> open, KeyValueStore<String, byte[]> labels, long windowMs,
                      long graceMs, Runnable onOrphan) {
        this.open = open;
        this.labels = labels;
        this.windowMs = windowMs;
        this.graceMs = graceMs;
        this.onOrphan = onOrphan;
        // A range scan per record would cost more than the record; releasing in steps of 1% of
        // the window (at most a second) delays examples by that much at most.
        this.releaseStepMs = Math.max(1, Math.min(1000, windowMs / 100));
    }

    /**
     * Moves the join's stream time forward (never back). Only events move it: a label cannot
     * close a window, so labels read ahead of their events (a backlog, a partition fetched
     * first) wait in the store instead of expiring before their events arrive.
     */
    void observe(long timestamp) {
        streamTime = Math.max(streamTime, timestamp);
    }

    /** A scored event waits for its label; one that arrives after its window closed is released at once. */
    void open(String eventId, long timestamp, byte[] eventAvro, double score, Consumer<Released> out) {
        observe(timestamp);
        if (closed(timestamp)) {
            out.accept(new Released(decode(eventAvro), timestamp, takeLabel(eventId, timestamp), score));
            return;
        }
        open.put(key(timestamp, eventId), ByteBuffer.allocate(8 + eventAvro.length).putDouble(score).put(eventAvro)
                .array());
    }

    /** Keeps a label until its event is released; the latest label of an event wins. */
    void label(Label label, long timestamp) {
        labels.put(label.getEventId(), ByteBuffer.allocate(12).putLong(timestamp).putInt(label.getLabel()).array());
    }

    /** Releases, in event-time order, every event whose window has closed, then expires unmatched labels. */
    void releaseClosed(Consumer<Released> out) {
        if (streamTime == Long.MIN_VALUE) {
            return;
        }
        long bound = streamTime - windowMs - graceMs;
        if (bound < 0 || releasedUpTo != Long.MIN_VALUE && bound - releasedUpTo < releaseStepMs) {
            return;
        }
        releasedUpTo = bound;
        List<KeyValue<Bytes, byte[]>> due = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = open.range(key(0, ""), key(bound + 1, ""))) {
            it.forEachRemaining(due::add);
        }
        for (KeyValue<Bytes, byte[]> kv : due) {
            open.delete(kv.key);
            ByteBuffer k = ByteBuffer.wrap(kv.key.get());
            long ts = k.getLong();
            String id = new String(kv.key.get(), 8, kv.key.get().length - 8, StandardCharsets.UTF_8);
            ByteBuffer v = ByteBuffer.wrap(kv.value);
            double score = v.getDouble();
            byte[] event = new byte[v.remaining()];
            v.get(event);
            out.accept(new Released(decode(event), ts, takeLabel(id, ts), score));
        }
        expireLabels(bound);
    }

    private boolean closed(long timestamp) {
        return timestamp + windowMs + graceMs < streamTime;
    }

    private int takeLabel(String eventId, long eventTime) {
        byte[] l = labels.get(eventId);
        if (l == null) {
            return 0;
        }
        ByteBuffer b = ByteBuffer.wrap(l);
        long labelTime = b.getLong();
        if (labelTime < eventTime || labelTime > eventTime + windowMs) {
            return 0;
        }
        labels.delete(eventId);
        return b.getInt();
    }

    /**
     * A label at time t can only match an event of time in [t - window, t], all released once
     * stream time passes t + window + grace. The scan walks the whole (small) label store, so it
     * runs at most once per half window of stream time: an orphan is counted that much late.
     */
    private void expireLabels(long bound) {
        if (labelsScannedAt != Long.MIN_VALUE && bound - labelsScannedAt < Math.max(1, windowMs / 2)) {
            return;
        }
        labelsScannedAt = bound;
        List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = labels.all()) {
            it.forEachRemaining(kv -> {
                if (ByteBuffer.wrap(kv.value).getLong() < bound) {
                    expired.add(kv.key);
                }
            });
        }
        for (String id : expired) {
            labels.delete(id);
            onOrphan.run();
        }
    }

    /** Time first (big-endian, so byte order is time order), then the event id. */
    static Bytes key(long timestamp, String eventId) {
        byte[] id = eventId.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(8 + id.length).putLong(timestamp).put(id).array());
    }

    private static ClickEvent decode(byte[] avro) {
        try {
            return EVENTS.decode(avro);
        } catch (RecordRejectedException e) {
            throw new IllegalStateException("corrupt event in the attribution store: " + e.getMessage(), e);
        }
    }
}
