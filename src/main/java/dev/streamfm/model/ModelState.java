package dev.streamfm.model;

import java.util.List;

/** A complete snapshot of a model: every variable and optimizer slot, and the step. */
public record ModelState(long step, List<VariableValue> variables) {

    public ModelState {
        variables = List.copyOf(variables);
    }

    public VariableValue variable(String name) {
        return variables.stream().filter(v -> v.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no variable " + name + " in model state"));
    }
}
