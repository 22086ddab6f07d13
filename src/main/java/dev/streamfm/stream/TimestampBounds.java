package dev.streamfm.stream;

import dev.streamfm.rejection.RecordRejectedException;
import dev.streamfm.rejection.RejectReason;
import dev.streamfm.config.Settings;
import dev.streamfm.config.StreamfmConfig;

/**
 * How far an input record's timestamp may stray. The attribution join runs on record timestamps
 * (README, Delayed labels), so one record stamped in microseconds, or in seconds, would close or
 * reopen windows for a whole task: its timestamp must be near its own event_time, not far ahead
 * of the clock, and (when configured) not older than a bound.
 *
 * @param maxFutureMs how far ahead of this machine's clock a timestamp may be
 * @param maxSkewMs   how far a timestamp may differ from the record's own event_time
 * @param maxAgeMs    how far behind the clock a timestamp may be; 0 = no bound (replays of old logs)
 */
record TimestampBounds(long maxFutureMs, long maxSkewMs, long maxAgeMs) {

    /**
     * No bounds: for the examples topic, stamped by the broker on append (so never ahead of any
     * clock), whose records the trainer must accept on replay exactly as it did the first time.
     */
    static final TimestampBounds NONE = new TimestampBounds(Long.MAX_VALUE, Long.MAX_VALUE, 0);

    static TimestampBounds from(StreamfmConfig cfg) {
        return new TimestampBounds(cfg.getLong(Settings.MAX_FUTURE_MS), cfg.getLong(Settings.MAX_SKEW_MS),
                cfg.getLong(Settings.MAX_AGE_MS));
    }

    /** Checks what needs no decoding: the timestamp against the clock. */
    void checkAgainstClock(long timestamp, long now) throws RecordRejectedException {
        long ahead = timestamp - now;
        if (ahead > maxFutureMs) {
            throw outOfRange("record timestamp " + timestamp + " is " + ahead + " ms ahead of this machine's clock "
                    + "(at most streamfm.input.max.future.ms = " + maxFutureMs
                    + " allowed; microseconds sent as milliseconds?)");
        }
        if (maxAgeMs > 0 && now - timestamp > maxAgeMs) {
            throw outOfRange("record timestamp " + timestamp + " is " + (now - timestamp) + " ms behind this "
                    + "machine's clock (at most streamfm.input.max.age.ms = " + maxAgeMs + " allowed)");
        }
    }

    /** Checks the timestamp against the record's own event time. */
    void checkAgainstEventTime(long timestamp, long eventTime) throws RecordRejectedException {
        if (Math.abs(timestamp - eventTime) > maxSkewMs) {
            throw outOfRange("record timestamp " + timestamp + " differs from the record's event_time " + eventTime
                    + " by " + Math.abs(timestamp - eventTime) + " ms (at most streamfm.input.max.skew.ms = "
                    + maxSkewMs + "); set the Kafka record timestamp to event_time, in milliseconds");
        }
    }

    static RecordRejectedException invalid(long timestamp) {
        return outOfRange("record timestamp is " + timestamp + " (none or negative): the producer set no "
                + "timestamp; send CreateTime = event_time in epoch milliseconds");
    }

    private static RecordRejectedException outOfRange(String message) {
        return new RecordRejectedException(RejectReason.TIMESTAMP_OUT_OF_RANGE, message);
    }
}
