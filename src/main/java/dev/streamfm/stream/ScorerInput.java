package dev.streamfm.stream;

import dev.streamfm.schema.ClickEvent;
import dev.streamfm.schema.Label;

/** What the scoring processor reads: the events and the labels of one co-partitioned task, in timestamp order. */
sealed interface ScorerInput {

    /**
     * @param received the record's value as it came: the attribution store keeps it when it is
     *                 already in the store's encoding
     */
    record Event(ClickEvent event, byte[] received) implements ScorerInput {
    }

    record LabelArrived(Label label) implements ScorerInput {
    }
}
