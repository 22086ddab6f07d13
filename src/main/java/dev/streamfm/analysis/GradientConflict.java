package dev.streamfm.analysis;

import java.util.Optional;

/**
 * How the gradients that the FM and the DNN tower send into the same embeddings relate.
 *
 * @param cosine              {@code <G_fm, G_dnn> / (|G_fm| |G_dnn|)}, in [-1, 1]; below 0 the towers pull apart
 * @param dominance           {@code |G_dnn| / |G_fm|}; above 1 the DNN dominates the shared update
 * @param magnitudeSimilarity {@code 2 |G_fm| |G_dnn| / (|G_fm|^2 + |G_dnn|^2)}, in (0, 1]; 1 = equal magnitudes
 */
public record GradientConflict(double cosine, double dominance, double magnitudeSimilarity) {

    public boolean conflicting() {
        return cosine < 0;
    }

    /**
     * The figures from the inner product and the squared norms of the two gradients. Empty when
     * either tower sends no gradient (an FM-only path, a dead ReLU tower, a field absent from the
     * batch): cosine and dominance are undefined then, and reporting NaN or infinity would poison
     * every rolling mean and dashboard downstream.
     */
    public static Optional<GradientConflict> of(double dot, double fmNormSq, double dnnNormSq) {
        if (!(fmNormSq > 0) || !(dnnNormSq > 0) || Double.isInfinite(fmNormSq) || Double.isInfinite(dnnNormSq)
                || !Double.isFinite(dot)) {
            return Optional.empty();
        }
        double fmNorm = Math.sqrt(fmNormSq);
        double dnnNorm = Math.sqrt(dnnNormSq);
        // Float rounding in the per-example reductions can push |cosine| a hair past 1, which
        // would land a perfectly aligned step outside the histogram's last bucket.
        double cosine = Math.max(-1.0, Math.min(1.0, dot / (fmNorm * dnnNorm)));
        return Optional.of(new GradientConflict(cosine, dnnNorm / fmNorm,
                2.0 * fmNorm * dnnNorm / (fmNormSq + dnnNormSq)));
    }
}
