package dev.streamfm.evaluation;

import dev.streamfm.schema.ClickEvent;

import java.util.OptionalDouble;

/** An event with its 0/1 label, as the evaluator consumes it from a generator or a log file. */
public interface LabeledEvent {

    ClickEvent event();

    int label();

    /** The true click probability when the source knows it (a planted teacher), for the Bayes-optimal reference. */
    default OptionalDouble knownProbability() {
        return OptionalDouble.empty();
    }
}
