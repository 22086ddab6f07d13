package dev.streamfm.stream;

import dev.streamfm.schema.ClickEvent;
import dev.streamfm.schema.Label;

/** What the scoring processor reads: the events and the labels of one co-partitioned task, in timestamp order. */
sealed interface ScorerInput {

    record Event(ClickEvent event) implements ScorerInput {
    }

    record LabelArrived(Label label) implements ScorerInput {
    }
}
