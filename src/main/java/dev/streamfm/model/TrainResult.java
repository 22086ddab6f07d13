package dev.streamfm.model;

import dev.streamfm.analysis.StepAnalysis;

import java.util.Optional;

/**
 * The outcome of one training step.
 *
 * @param predictions probabilities from the parameters before the update (progressive validation)
 * @param loss        mean log loss of the batch before the update (without regularisation)
 * @param analysis    present when the step was asked to analyse its gradients
 * @param changedRows rows of the row-addressable variables the step may have written (repeats
 *                    allowed): what the next changed-blocks checkpoint must carry
 * @param admission   present when the model admits and expires ids (README, "Feature admission and expiry")
 */
public record TrainResult(float[] predictions, double loss, Optional<StepAnalysis> analysis, int[] changedRows,
                          Optional<AdmissionCounts> admission) {

    /**
     * What admission did in one step.
     *
     * @param admitted  ids that got a row of their own
     * @param expired   rows taken back from ids not seen for the expiry span
     * @param reset     rows taken back earlier and initialised again in this step, to be handed out
     * @param rowsInUse rows held by admitted ids after the step, over all fields
     */
    public record AdmissionCounts(int admitted, int expired, int reset, long rowsInUse) {
    }
}
