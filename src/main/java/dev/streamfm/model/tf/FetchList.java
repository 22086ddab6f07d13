package dev.streamfm.model.tf;

import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Session;

import java.util.HashMap;
import java.util.Map;

/**
 * Fetches for one run, each tensor once: a Result rejects two fetches of the same output (the
 * loss is also the objective when there is no L2).
 */
final class FetchList {

    private final Session.Runner runner;
    private final Map<Output<?>, Integer> indices = new HashMap<>();

    FetchList(Session.Runner runner) {
        this.runner = runner;
    }

    /** The result index of {@code operand}, fetching it unless it already is. */
    int add(Operand<?> operand) {
        return indices.computeIfAbsent(operand.asOutput(), o -> {
            runner.fetch(o);
            return indices.size();
        });
    }
}
