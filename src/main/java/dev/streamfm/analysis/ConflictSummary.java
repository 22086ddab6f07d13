package dev.streamfm.analysis;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Gradient conflict of one field (or of all fields) over a window of analysed steps; steps in
 * which a tower sent no gradient to the field are not counted.
 *
 * @param steps             analysed steps in the window that measured the conflict
 * @param conflictingShare  fraction of those steps with cosine < 0
 * @param meanCosine        mean cosine
 * @param meanDominance     mean |G_dnn| / |G_fm|
 * @param medianDominance   median |G_dnn| / |G_fm|, robust to the odd step with a vanishing FM gradient
 * @param meanMagnitudeSimilarity mean Phi
 */
public record ConflictSummary(int steps, double conflictingShare, double meanCosine, double meanDominance,
                              double medianDominance, double meanMagnitudeSimilarity) {

    /** Empty when no step measured the conflict. */
    public static Optional<ConflictSummary> of(List<GradientConflict> measured) {
        int n = measured.size();
        if (n == 0) {
            return Optional.empty();
        }
        int conflicting = 0;
        double cosine = 0;
        double dominance = 0;
        double phi = 0;
        double[] dominances = new double[n];
        for (int i = 0; i < n; i++) {
            GradientConflict c = measured.get(i);
            conflicting += c.conflicting() ? 1 : 0;
            cosine += c.cosine();
            dominance += c.dominance();
            phi += c.magnitudeSimilarity();
            dominances[i] = c.dominance();
        }
        Arrays.sort(dominances);
        double median = n % 2 == 1 ? dominances[n / 2] : 0.5 * (dominances[n / 2 - 1] + dominances[n / 2]);
        return Optional.of(new ConflictSummary(n, (double) conflicting / n, cosine / n, dominance / n, median, phi / n));
    }
}
