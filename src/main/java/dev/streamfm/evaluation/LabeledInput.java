package dev.streamfm.evaluation;

import dev.streamfm.features.BatchBuilder;
import dev.streamfm.rejection.RecordRejectedException;
import dev.streamfm.rejection.RejectReason;

import java.util.Map;

/** How an offline pass admits a labeled event, and counts what it refuses as the service would dead-letter it. */
final class LabeledInput {

    private LabeledInput() {
    }

    /** Adds the event to the batch, or counts it under its reject reason; returns whether it was added. */
    static boolean addOrCount(BatchBuilder builder, LabeledEvent e, Map<String, Long> rejected) {
        try {
            if (e.label() != 0 && e.label() != 1) {
                throw new RecordRejectedException(RejectReason.INVALID_LABEL, "label must be 0 or 1, got " + e.label());
            }
            builder.add(e.event());
            return true;
        } catch (RecordRejectedException r) {
            rejected.merge(r.reason().label(), 1L, Long::sum);
            return false;
        }
    }
}
