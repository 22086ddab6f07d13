package dev.streamfm.analysis;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The gradient conflict of one training step, per field and over all fields together.
 *
 * @param byField conflict per field, in field order; a field whose FM or DNN gradient was zero is left out
 * @param all     the conflict of the concatenated gradients of all fields (inner products and squared
 *                norms summed over fields), empty when a tower sent no gradient at all
 */
public record StepConflict(Map<String, GradientConflict> byField, Optional<GradientConflict> all) {

    public StepConflict {
        byField = Collections.unmodifiableMap(new LinkedHashMap<>(byField));
    }

    /** Sums the per-example figures over the batch, per field and then over fields. */
    public static StepConflict of(List<String> fields, TowerGradients towers) {
        if (fields.size() != towers.fields()) {
            throw new IllegalArgumentException("tower gradients cover " + towers.fields() + " fields, the step names "
                    + fields.size());
        }
        Map<String, GradientConflict> byField = new LinkedHashMap<>();
        double dot = 0;
        double fmNormSq = 0;
        double dnnNormSq = 0;
        for (int f = 0; f < fields.size(); f++) {
            double fieldDot = towers.fieldDot(f);
            double fieldFm = towers.fieldFirstNormSq(f);
            double fieldDnn = towers.fieldSecondNormSq(f);
            Optional<GradientConflict> conflict = GradientConflict.of(fieldDot, fieldFm, fieldDnn);
            if (conflict.isPresent()) {
                byField.put(fields.get(f), conflict.get());
            }
            dot += fieldDot;
            fmNormSq += fieldFm;
            dnnNormSq += fieldDnn;
        }
        return new StepConflict(byField, GradientConflict.of(dot, fmNormSq, dnnNormSq));
    }
}
