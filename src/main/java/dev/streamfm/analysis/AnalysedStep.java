package dev.streamfm.analysis;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One analysed training step: the model's raw figures and the gradient conflict derived from them.
 *
 * @param conflicts by tower pair ("fm-dnn", "cin-dnn", ...), in the model's pair order; empty
 *                  when fewer than two towers read the field embeddings
 */
public record AnalysedStep(StepAnalysis analysis, Map<String, StepConflict> conflicts) {

    public AnalysedStep {
        conflicts = Collections.unmodifiableMap(new LinkedHashMap<>(conflicts));
    }

    public static AnalysedStep of(StepAnalysis analysis) {
        Map<String, StepConflict> conflicts = new LinkedHashMap<>();
        for (TowerGradients pair : analysis.pairs()) {
            conflicts.put(pair.pair(), StepConflict.of(analysis.fields(), pair));
        }
        return new AnalysedStep(analysis, conflicts);
    }

    /** The conflict of the first pair, the one the offline report charts. */
    public Optional<StepConflict> conflict() {
        return conflicts.values().stream().findFirst();
    }

    public long step() {
        return analysis.step();
    }
}
