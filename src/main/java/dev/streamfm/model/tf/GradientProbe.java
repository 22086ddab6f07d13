package dev.streamfm.model.tf;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Loss and gradients of one batch at the current parameters, computed without an update: the hook
 * for gradient checks and for verifying the analysis against an independent computation.
 * Gradients are the ones the optimizers apply: dense variables that of the batch-mean objective
 * (loss + L2), tables and the bias the per-example one, of the objective summed over the batch
 * (B times the mean's).
 *
 * @param loss           mean log loss of the training forward (without L2)
 * @param objective      loss plus the L2 penalty: the function the gradients differentiate
 * @param logits         training-forward logit per example
 * @param touchedRows    distinct table rows of the batch, the row order of table gradients
 * @param gradients      by trainable variable name, in layer order: dense variables whole (row-major), tables one row per
 *                       touched row (summed over the batch)
 * @param fieldOutputs   by path ("fm", "dnn", or "linear" for LR): the field outputs [B x F x W] it reads
 * @param fieldGradients by path: the gradient of the batch-mean objective at those outputs [B x F x W]
 */
public record GradientProbe(double loss, double objective, float[] logits, int[] touchedRows,
                            Map<String, float[]> gradients, Map<String, float[]> fieldOutputs,
                            Map<String, float[]> fieldGradients) {

    public GradientProbe {
        gradients = Collections.unmodifiableMap(new LinkedHashMap<>(gradients));
        fieldOutputs = Collections.unmodifiableMap(new LinkedHashMap<>(fieldOutputs));
        fieldGradients = Collections.unmodifiableMap(new LinkedHashMap<>(fieldGradients));
    }

    public float[] gradient(String variable) {
        float[] g = gradients.get(variable);
        if (g == null) {
            throw new IllegalArgumentException("no trainable variable " + variable + "; have " + gradients.keySet());
        }
        return g;
    }
}
