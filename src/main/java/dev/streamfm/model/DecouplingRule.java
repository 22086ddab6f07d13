package dev.streamfm.model;

/**
 * When automatic decoupling ({@link EmbeddingSharing#AUTO}) gives a field separate rows per tower:
 * every {@code everySteps}-th step the towers' gradients at each field are compared pair by pair,
 * and once a field has {@code window} observations, it is decoupled if more than
 * {@code threshold} of them conflicted (cosine &lt; 0), else its window starts again (README,
 * "Conflict mitigation").
 *
 * @param everySteps observe every k-th training step (analysed at least for conflicts)
 * @param window     observations per decision
 * @param threshold  share of conflicting observations above which the field is decoupled; 1 = never
 */
public record DecouplingRule(int everySteps, int window, double threshold) {

    /**
     * Every 10th step, the service's analysis cadence, so the rule costs no extra analysis; 30
     * observations (300 steps with one tower pair) so one noisy batch does not decide; and a
     * majority, where summed gradients of the pair cancel more often than they add.
     */
    public static final DecouplingRule DEFAULTS = new DecouplingRule(10, 30, 0.5);

    public DecouplingRule {
        if (everySteps < 1) {
            throw new IllegalArgumentException("decoupling-every must be >= 1 steps, got " + everySteps);
        }
        if (window < 1) {
            throw new IllegalArgumentException("decoupling-window must be >= 1 observations, got " + window);
        }
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException("decoupling-threshold must be in [0, 1] (1 = never), got " + threshold);
        }
    }
}
