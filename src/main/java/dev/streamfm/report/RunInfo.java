package dev.streamfm.report;

/**
 * The pass a report describes.
 *
 * @param input    what was read, e.g. "synthetic frappe-like, 20000 events, seed 1" or a file name
 * @param model    model variant label
 * @param every    every how many training steps the gradients were analysed
 * @param examples examples trained
 * @param steps    training steps
 * @param auc      progressive-validation AUC over the whole pass
 * @param logloss  progressive-validation log loss over the whole pass
 * @param bayesAuc     AUC of the true click probabilities when the source knows them (a planted teacher), else NaN
 * @param bayesLogloss log loss of the true click probabilities, else NaN
 * @param seconds  wall time of the pass
 */
public record RunInfo(String input, String model, int every, int batchSize, long examples, long steps, double auc,
                      double logloss, double bayesAuc, double bayesLogloss, double seconds) {
}
