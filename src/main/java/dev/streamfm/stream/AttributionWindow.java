package dev.streamfm.stream;

import dev.streamfm.model.DelayedFeedback;
import dev.streamfm.rejection.RecordRejectedException;
import dev.streamfm.schema.ClickEvent;
import dev.streamfm.schema.Label;
import dev.streamfm.stream.serde.AvroSerde;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The events of one task from the moment they are read until their attribution window closes,
 * and their labels, in two logged stores. This replaces Kafka Streams' stream-stream outer join,
 * which on every record walked and deserialized its whole outer-join store (43% of the scorer
 * thread at 2000 events/s, profiled), needed a second join and a repartition topic for the
 * served-model metrics, and a third store for events waiting in a scoring batch.
 *
 * <p>{@code open} holds each event under a time-first key (event time, then event id), so the
 * events whose window has closed are one ordered range scan, released in event-time order. An
 * event is held as soon as it is read, unscored, and updated with its score when its batch is
 * scored: within a commit interval the store's cache folds both into one changelog record, and
 * the unscored entries are what a restarted task must still score. {@code labels} holds labels
 * by event id until their event is released. A label may arrive before its event (a backlog
 * read by timestamp, a partition fetched first): it waits in the store.
 *
 * <p>An event is released once the join's closing time has passed its time + window + grace: a
 * positive if a label for it with a time in [event time, event time + window] is there, else a
 * negative. A label that no released event took is an orphan once no event it could match can
 * still come. The closing time is the events' stream time, held back to the newest label's time
 * while labels flow: Kafka Streams reads two topics in timestamp order only while its fetch
 * metadata is fresh, and under load it was measured reading events 25 s ahead of their labels
 * (a third of the clicks orphaned at 5000 events/s under exactly-once), and the scorer lets it
 * process whatever it has buffered (max.task.idle.ms = -1, see StreamsProperties). Labels silent
 * for {@code labelIdleMs} of wall-clock time (counted from the task's start until the first label)
 * stop holding windows open, so a partition without clicks still releases its negatives.
 *
 * <p>Under fake-negative feedback the trainer gets every event as a negative when it is scored
 * and again as a positive as soon as both the event is scored and a click for it within the
 * window is there; the window's close then only feeds the served-model evaluation and counts
 * orphans. A click label finds its event through {@code ids} (event id to event time), which
 * only this mode writes; a label that already sent its positive is marked so, so a repeated
 * label does not send another.
 *
 * <p>The same stores tell a duplicate (a producer retry without idempotence, a replay) within
 * the window: an event whose time and id are already held, a label equal to the one held for
 * its event. No separate duplicate store is needed; one, a windowed store probed per record,
 * cost the exactly-once scorer two thirds of its throughput (see docs/architecture.md).
 */
final class AttributionWindow {

    private static final Logger LOG = LoggerFactory.getLogger(AttributionWindow.class);

    /** Where the window sends what it decides. */
    interface Outcomes {

        /** An example for the trainer. */
        void train(ClickEvent event, long timestamp, int label);

        /** A scored event whose window closed, with the label it ended with. */
        void closed(double score, int label);
    }

    /** An event read but not yet scored. */
    record Unscored(String eventId, long timestamp, ClickEvent event, byte[] avro) {
    }

    private static final AvroSerde<ClickEvent> EVENTS = AvroSerde.of(ClickEvent.class);
    private static final double UNSCORED = Double.NaN;

    private final KeyValueStore<Bytes, byte[]> open;
    private final KeyValueStore<String, byte[]> labels;
    private final KeyValueStore<String, Long> ids;
    private final boolean fakeNegatives;
    private final long windowMs;
    private final long graceMs;
    private final long labelIdleMs;
    private final long releaseStepMs;
    private final LongSupplier wallClock;
    private final Runnable onOrphan;
    private final String where;
    /** Whether the current silence of the labels was logged; a label read resets it. */
    private boolean silenceLogged;
    private long streamTime = Long.MIN_VALUE;
    /**
     * The newest event time held, read back from {@code open} when the task starts: an event
     * newer than that cannot be a duplicate, so the duplicate check skips its store lookup, a
     * RocksDB read per event that misses (5% of the exactly-once scorer thread, profiled).
     */
    private long newestHeld;
    /** The newest label time read, and the wall-clock time a label was last read (or the window opened). */
    private long labelTime = Long.MIN_VALUE;
    private long labelReadAt;
    private long releasedUpTo = Long.MIN_VALUE;
    /**
     * Where the next release scan starts: after the last bound released, or earlier where an
     * event older than it arrived since. A scan from time 0 walked every released event's
     * tombstone in RocksDB and, profiled live at 2000 events/s under exactly-once, took 40% of
     * the scorer thread until it fell behind.
     */
    private long scanFrom = 0;
    private long labelsScannedAt = Long.MIN_VALUE;
    /** An event scored after its window closed waits in {@code open}: the next release must scan. */
    private boolean closedWhilePending;

    AttributionWindow(KeyValueStore<Bytes, byte[]> open, KeyValueStore<String, byte[]> labels,
                      KeyValueStore<String, Long> ids, ScorerSettings settings, LongSupplier wallClock,
                      Runnable onOrphan, String where) {
        this.open = open;
        this.labels = labels;
        this.ids = ids;
        this.fakeNegatives = settings.feedback() == DelayedFeedback.FAKE_NEGATIVE;
        this.windowMs = settings.windowMs();
        this.graceMs = settings.graceMs();
        this.labelIdleMs = settings.labelIdleMs();
        this.wallClock = wallClock;
        this.onOrphan = onOrphan;
        this.where = where;
        // A task that starts reading a backlog may read events long before the first label: the
        // labels' silence counts from now, so no window closes on events alone until it lasted.
        this.labelReadAt = wallClock.getAsLong();
        this.newestHeld = newestHeld(open);
        // A range scan per record would cost more than the record; releasing in steps of 1% of
        // the window (at most a second) delays examples by that much at most.
        this.releaseStepMs = Math.max(1, Math.min(1000, windowMs / 100));
    }

    /**
     * Holds an event just read, unscored, and moves the join's stream time forward (never back).
     * Only events move it: a label cannot close a window, so labels read ahead of their events
     * wait in the store instead of expiring before their events arrive.
     *
     * <p>The record value as read is kept as it is when it is Avro in the current schema
     * (encoding the event again was 7% of the exactly-once scorer thread, profiled); otherwise
     * the event is encoded.
     */
    Unscored hold(ScorerInput.Event received, long timestamp) {
        ClickEvent event = received.event();
        String eventId = event.getEventId();
        streamTime = Math.max(streamTime, timestamp);
        newestHeld = Math.max(newestHeld, timestamp);
        scanFrom = Math.min(scanFrom, timestamp);
        byte[] avro = EVENTS.isCurrentEncoding(received.received()) ? received.received() : EVENTS.encode(event);
        open.put(key(timestamp, eventId), value(UNSCORED, avro));
        if (fakeNegatives) {
            ids.put(eventId, timestamp);
        }
        return new Unscored(eventId, timestamp, event, avro);
    }

    /** Whether this event (same time and id) is already held: a duplicate within its window. */
    boolean holds(String eventId, long timestamp) {
        return timestamp <= newestHeld && open.get(key(timestamp, eventId)) != null;
    }

    private static long newestHeld(KeyValueStore<Bytes, byte[]> open) {
        try (KeyValueIterator<Bytes, byte[]> it = open.reverseAll()) {
            return it.hasNext() ? timestamp(it.next().key) : Long.MIN_VALUE;
        }
    }

    /**
     * Whether a label equal to this one is already held for its event: a duplicate. (Once its
     * event is released the label is gone, and a repeat is an orphan.)
     */
    boolean repeats(Label label) {
        byte[] held = labels.get(label.getEventId());
        return held != null && ByteBuffer.wrap(held, 8, 4).getInt() == label.getLabel();
    }

    /** An event that arrives labeled needs no window: its example goes to the trainer at once. */
    void arrivedLabeled(ClickEvent event, long timestamp, Outcomes out) {
        int label = event.getLabel();
        if (fakeNegatives) {
            // the same examples an unlabeled event makes, so the trainer's weighting still holds
            out.train(event, timestamp, 0);
            if (label == 1) {
                out.train(event, timestamp, 1);
            }
        } else {
            out.train(event, timestamp, label);
        }
    }

    /**
     * Records an event's score. An event that came labeled leaves the store (its examples went
     * out when it arrived); one whose window closed while it was being scored is released by the
     * {@link #releaseClosed} that follows the batch, in event-time order with every other closed
     * event (never dropped, never ahead of an older one still held). Under fake-negative feedback
     * the event goes to the trainer now as a negative, and as a positive too if its click is
     * already there.
     */
    void scored(Unscored e, double score, Outcomes out) {
        Bytes key = key(e.timestamp(), e.eventId());
        if (e.event().getLabel() != null) {
            forget(key, e.eventId());
            return;
        }
        if (fakeNegatives) {
            out.train(e.event(), e.timestamp(), 0);
            byte[] label = labels.get(e.eventId());
            if (label != null && sendsPositive(label, e.timestamp())) {
                out.train(e.event(), e.timestamp(), 1);
                labels.put(e.eventId(), markSent(label));
            }
        }
        open.put(key, value(score, e.avro()));
        if (e.timestamp() + windowMs + graceMs <= closingTime()) {
            // Its window closed while it waited in the batch. Released by the next releaseClosed
            // with the other closed ones, in event-time order: releasing it here would put it
            // ahead of older events still held (scored earlier, or later in this batch).
            closedWhilePending = true;
        }
    }

    private void close(ClickEvent event, long timestamp, int label, double score, Outcomes out) {
        if (!fakeNegatives) {
            out.train(event, timestamp, label);
        }
        out.closed(score, label);
    }

    private void forget(Bytes key, String eventId) {
        open.delete(key);
        if (fakeNegatives) {
            ids.delete(eventId);
        }
    }

    /** The events a crashed or revived task read but did not score, at or after the given time. */
    List<Unscored> unscoredSince(long timestamp) {
        List<Unscored> out = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = open.range(key(timestamp, ""), key(Long.MAX_VALUE, ""))) {
            it.forEachRemaining(kv -> {
                ByteBuffer v = ByteBuffer.wrap(kv.value);
                if (Double.isNaN(v.getDouble())) {
                    byte[] avro = avro(v);
                    out.add(new Unscored(eventId(kv.key), timestamp(kv.key), decode(avro), avro));
                    streamTime = Math.max(streamTime, timestamp(kv.key));
                }
            });
        }
        return out;
    }

    /**
     * Keeps a label until its event is released; the latest label of an event wins. Under
     * fake-negative feedback a click for an event already scored sends the positive now.
     */
    void label(Label label, long timestamp, Outcomes out) {
        labelTime = Math.max(labelTime, timestamp);
        labelReadAt = wallClock.getAsLong();
        silenceLogged = false;
        String id = label.getEventId();
        // Only fake-negative feedback marks labels sent, so only it needs the previous value.
        byte[] previous = fakeNegatives ? labels.get(id) : null;
        boolean sent = previous != null && positiveSent(previous);
        byte[] value = ByteBuffer.allocate(13).putLong(timestamp).putInt(label.getLabel()).put((byte) (sent ? 1 : 0))
                .array();
        labels.put(id, value);
        if (!fakeNegatives || sent || label.getLabel() != 1) {
            return;
        }
        Long eventTime = ids.get(id);
        if (eventTime == null || !sendsPositive(value, eventTime)) {
            return;
        }
        byte[] held = open.get(key(eventTime, id));
        if (held == null) {
            return;
        }
        ByteBuffer v = ByteBuffer.wrap(held);
        if (!Double.isNaN(v.getDouble())) {
            out.train(decode(avro(v)), eventTime, 1);
            labels.put(id, markSent(value));
        }
    }

    /** A click within the window whose positive has not gone to the trainer yet. */
    private boolean sendsPositive(byte[] label, long eventTime) {
        ByteBuffer b = ByteBuffer.wrap(label);
        long labelTime = b.getLong();
        return b.getInt() == 1 && !positiveSent(label) && labelTime >= eventTime && labelTime <= eventTime + windowMs;
    }

    /** Label values are the label's time, the label and, since fake-negative feedback, a sent flag. */
    private static boolean positiveSent(byte[] label) {
        return label.length > 12 && label[12] == 1;
    }

    private static byte[] markSent(byte[] label) {
        byte[] marked = java.util.Arrays.copyOf(label, 13);
        marked[12] = 1;
        return marked;
    }

    /**
     * Releases, in event-time order, every event whose window has closed, then expires unmatched
     * labels. Call only when no event is waiting to be scored: a label such an event needs must
     * not expire before it is.
     */
    void releaseClosed(Outcomes out) {
        long closing = closingTime();
        if (closing == Long.MIN_VALUE) {
            return;
        }
        long bound = closing - windowMs - graceMs;
        if (bound < 0 || !closedWhilePending && releasedUpTo != Long.MIN_VALUE && bound - releasedUpTo < releaseStepMs) {
            return;
        }
        releasedUpTo = bound;
        closedWhilePending = false;
        List<KeyValue<Bytes, byte[]>> due = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = open.range(key(scanFrom, ""), key(bound + 1, ""))) {
            it.forEachRemaining(due::add);
        }
        scanFrom = bound + 1;
        for (KeyValue<Bytes, byte[]> kv : due) {
            long ts = timestamp(kv.key);
            String id = eventId(kv.key);
            forget(kv.key, id);
            ByteBuffer v = ByteBuffer.wrap(kv.value);
            double score = v.getDouble();
            int label = takeLabel(id, ts);
            if (fakeNegatives) {
                out.closed(score, label);   // the trainer has its examples already: no need to decode the event
            } else {
                close(decode(avro(v)), ts, label, score, out);
            }
        }
        expireLabels(bound);
    }

    /**
     * How far windows may close: the events' stream time, but no further than the newest label
     * while labels are read (a label not yet read may be older than the events read).
     */
    private long closingTime() {
        long silentMs = wallClock.getAsLong() - labelReadAt;
        if (silentMs >= labelIdleMs) {
            if (!silenceLogged && labelIdleMs > 0) {
                silenceLogged = true;
                LOG.warn("{}: no label read for {} s{}; windows now close on event time alone, so a click label "
                                + "read later is an orphan. If labels reach Kafka this late, raise "
                                + "streamfm.labeling.labels.idle.ms", where, silentMs / 1000,
                        labelTime == Long.MIN_VALUE ? " since the task started" : "");
            }
            return streamTime;
        }
        return labelTime == Long.MIN_VALUE ? Long.MIN_VALUE : Math.min(streamTime, labelTime);
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

    /** Time first (big-endian, so byte order is time order for the non-negative times Kafka has), then the event id. */
    static Bytes key(long timestamp, String eventId) {
        byte[] id = eventId.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(8 + id.length).putLong(timestamp).put(id).array());
    }

    private static long timestamp(Bytes key) {
        return ByteBuffer.wrap(key.get()).getLong();
    }

    private static String eventId(Bytes key) {
        return new String(key.get(), 8, key.get().length - 8, StandardCharsets.UTF_8);
    }

    /** The score (NaN until scored), then the event in Avro single-object encoding. */
    private static byte[] value(double score, byte[] avro) {
        return ByteBuffer.allocate(8 + avro.length).putDouble(score).put(avro).array();
    }

    private static byte[] avro(ByteBuffer afterScore) {
        byte[] avro = new byte[afterScore.remaining()];
        afterScore.get(avro);
        return avro;
    }

    private static ClickEvent decode(byte[] avro) {
        try {
            return EVENTS.decode(avro);
        } catch (RecordRejectedException e) {
            throw new IllegalStateException("corrupt event in the attribution store: " + e.getMessage(), e);
        }
    }
}
