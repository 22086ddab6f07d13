package dev.streamfm.synth;

import dev.streamfm.evaluation.LabeledEvent;
import dev.streamfm.schema.ClickEvent;

import java.util.OptionalDouble;

/**
 * One generated impression. The event carries no label (it is null) because a live service
 * receives the click separately, later; {@code label} is that click, drawn from
 * {@code trueProbability}.
 */
public record SyntheticExample(ClickEvent event, int label, double trueProbability) implements LabeledEvent {

    @Override
    public OptionalDouble knownProbability() {
        return OptionalDouble.of(trueProbability);
    }
}
