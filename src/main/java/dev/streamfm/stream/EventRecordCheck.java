package dev.streamfm.stream;

import dev.streamfm.rejection.RecordRejectedException;
import dev.streamfm.rejection.RejectReason;
import java.time.Instant;

/**
 * What the scorer needs of an event's or a label's Kafka record besides its value. Events and
 * labels meet in one task only when both are keyed by the event id (the scorer joins
 * co-partitioned topics without a repartition topic, README, Scorers, partitions and the
 * trainer), so a record keyed otherwise could join nothing and is rejected, not re-keyed; and its
 * timestamp, which the join runs on, must be near its event time.
 */
final class EventRecordCheck {

    private EventRecordCheck() {
    }

    static void check(String key, long timestamp, String eventId, Instant eventTime, TimestampBounds bounds)
            throws RecordRejectedException {
        if (!eventId.equals(key)) {
            throw new RecordRejectedException(RejectReason.KEY_MISMATCH, "record key is "
                    + (key == null ? "null" : "'" + shortened(key) + "'") + " but event_id is '" + shortened(eventId)
                    + "'; key events and labels by event_id, so that an event and its label meet in one partition");
        }
        bounds.checkAgainstEventTime(timestamp, eventTime.toEpochMilli());
    }

    private static String shortened(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "...";
    }
}
