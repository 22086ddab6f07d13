package dev.streamfm.synth;

import java.time.Instant;

/**
 * Settings of the planted-teacher generator. The teacher's logit is
 * {@code bias + linear + pairwise + mlp}; each of the last three is scaled so that its standard
 * deviation over the stream is the given figure, whatever the shape, and the bias is solved for so
 * the mean click probability is {@code baseRate}.
 *
 * @param seed           seed of the teacher and of every event (same seed, same stream)
 * @param baseRate       mean click probability, in (0, 1)
 * @param zipfExponent   skew of every field's value frequencies
 * @param teacherRank    length of the teacher vectors behind the pairwise and MLP terms
 * @param teacherHidden  width of the teacher's one hidden (tanh) layer
 * @param tailDecay      per-value weights and vectors of rank r shrink as (r + 1)^-tailDecay: rare values
 *                       carry less signal, as in real logs; without it every learner drowns in the noise
 *                       of fitting ~6k rarely seen values and the gap to Bayes says little about the model
 * @param linearStd      std of the sum of per-value weights
 * @param interactionStd std of the pairwise term, the sum over field pairs of teacher-vector dot products
 *                       (the vectors are centred, so a linear model can absorb none of it)
 * @param mlpStd         std of the MLP term over the concatenated teacher vectors
 * @param drift          how the teacher moves over the stream
 * @param start          event time of event 0; event i is i milliseconds later
 */
public record SynthConfig(long seed, double baseRate, double zipfExponent, int teacherRank, int teacherHidden,
                          double tailDecay, double linearStd, double interactionStd, double mlpStd, Drift drift, Instant start) {

    public static final Instant DEFAULT_START = Instant.parse("2024-01-01T00:00:00Z");

    public SynthConfig {
        require(baseRate > 0 && baseRate < 1, "base rate must be in (0, 1), got " + baseRate);
        require(zipfExponent >= 0, "Zipf exponent must be >= 0, got " + zipfExponent);
        require(teacherRank >= 1, "teacher rank must be >= 1, got " + teacherRank);
        require(teacherHidden >= 1, "teacher hidden units must be >= 1, got " + teacherHidden);
        require(tailDecay >= 0, "tail decay must be >= 0, got " + tailDecay);
        require(linearStd >= 0 && interactionStd >= 0 && mlpStd >= 0,
                "teacher term standard deviations must be >= 0");
        require(drift != null && start != null, "drift and start are required");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("synth config: " + message);
        }
    }

    /**
     * The teacher the learning targets were tuned on (PrequentialLearningIT): Bayes AUC ~0.82-0.85 on
     * frappe-like, base rate 0.25, interactions strong enough that LR stays >= 0.03 AUC below Bayes,
     * learnable enough that DeepFM gets within ~0.005 of it in 300k events.
     */
    public static SynthConfig defaults(long seed) {
        return new SynthConfig(seed, 0.25, 1.1, 2, 16, 2.0, 1.5, 0.7, 0.2, Drift.NONE, DEFAULT_START);
    }

    /**
     * The defaults for a shape. A growing id space keeps its rarer head ids informative (tail decay
     * 0.5 instead of 2): the long-tail workload is about learning from ids seen a few times, so
     * they must carry signal worth learning. Its interactions are stronger (std 1.0 instead of 0.7)
     * so that what an FM adds over LR stays clear of noise (~0.03 AUC) when much of the stream is ids
     * too rare to learn an interaction for.
     */
    public static SynthConfig defaults(SynthShape shape, long seed) {
        SynthConfig d = defaults(seed);
        return shape.growth().grows() ? d.withTailDecay(0.5).withTerms(1.5, 1.0, 0.2) : d;
    }

    public SynthConfig withTailDecay(double decay) {
        return new SynthConfig(seed, baseRate, zipfExponent, teacherRank, teacherHidden, decay, linearStd, interactionStd,
                mlpStd, drift, start);
    }

    public SynthConfig withSeed(long s) {
        return new SynthConfig(s, baseRate, zipfExponent, teacherRank, teacherHidden, tailDecay, linearStd, interactionStd,
                mlpStd, drift, start);
    }

    public SynthConfig withBaseRate(double rate) {
        return new SynthConfig(seed, rate, zipfExponent, teacherRank, teacherHidden, tailDecay, linearStd, interactionStd,
                mlpStd, drift, start);
    }

    public SynthConfig withDrift(Drift d) {
        return new SynthConfig(seed, baseRate, zipfExponent, teacherRank, teacherHidden, tailDecay, linearStd, interactionStd,
                mlpStd, d, start);
    }

    public SynthConfig withTerms(double linear, double interaction, double mlp) {
        return new SynthConfig(seed, baseRate, zipfExponent, teacherRank, teacherHidden, tailDecay, linear, interaction, mlp,
                drift, start);
    }
}
