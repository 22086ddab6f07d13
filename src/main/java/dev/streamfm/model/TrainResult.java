package dev.streamfm.model;

import dev.streamfm.analysis.StepAnalysis;

import java.util.Optional;

/**
 * The outcome of one training step.
 *
 * @param predictions probabilities from the parameters before the update (progressive validation)
 * @param loss        mean log loss of the batch before the update (without regularisation)
 * @param analysis    present when the step was asked to analyse its gradients
 */
public record TrainResult(float[] predictions, double loss, Optional<StepAnalysis> analysis) {
}
