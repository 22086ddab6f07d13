package dev.streamfm.model.tf;

import dev.streamfm.features.FeatureBatch;
import dev.streamfm.model.LayerKind;
import dev.streamfm.model.ModelConfig;

/**
 * Logistic regression trained in plain Java, in double precision, with the optimizer semantics the
 * model promises: first-order weights and the bias learn per example (the gradient of the loss
 * summed over the batch, with Adagrad or FTRL-Proximal), the accumulator adding the square of that
 * sum or, unless squared gradients are "batch", the sum of the squares of each occurrence's
 * gradient. The independent computation the TensorFlow model is checked against. The bias is kept
 * as one more weight, after the rows.
 */
final class ReferenceLogisticRegression {

    private final ModelConfig config;
    private final double[] w;
    private final double[] acc;
    private final double[] z;
    private final int bias;

    ReferenceLogisticRegression(ModelConfig config, int rows) {
        this.config = config;
        this.bias = rows;
        this.w = new double[rows + 1];
        this.acc = new double[rows + 1];
        this.z = new double[rows + 1];
        java.util.Arrays.fill(acc, config.initAccumulator());
    }

    /** Ktena et al.'s fake-negative importance weight, or 1 (README, "Delayed labels"). */
    private double lossWeight(double p, float label) {
        if (config.feedback() == dev.streamfm.model.DelayedFeedback.WINDOW) {
            return 1;
        }
        return label == 1 ? 1 + p : (1 - p) * (1 + p);
    }

    /** The first-order weights, without the bias. */
    double[] weights() {
        return java.util.Arrays.copyOf(w, bias);
    }

    /** Predicts the batch with the current parameters, then updates them; returns the predictions. */
    double[] trainStep(FeatureBatch batch, float[] labels) {
        int b = batch.size();
        int slots = batch.slots();
        double[] p = new double[b];
        double[] rowGradient = new double[w.length];
        double[] rowSquares = new double[w.length];
        boolean[] touched = new boolean[w.length];
        for (int e = 0; e < b; e++) {
            double logit = w[bias];
            for (int s = 0; s < slots; s++) {
                logit += w[batch.rows()[e * slots + s]] * batch.values()[e * slots + s];
            }
            p[e] = 1 / (1 + Math.exp(-logit));
            double residual = lossWeight(p[e], labels[e]) * (p[e] - labels[e]);
            rowGradient[bias] += residual;
            rowSquares[bias] += residual * residual;
            touched[bias] = true;
            for (int s = 0; s < slots; s++) {
                int row = batch.rows()[e * slots + s];
                double g = residual * batch.values()[e * slots + s];
                rowGradient[row] += g;
                rowSquares[row] += g * g;
                touched[row] = true;
            }
        }
        // every weight of an LR is first-order
        boolean perExample = config.squaredGradients().perExample(LayerKind.LINEAR);
        for (int row = 0; row < w.length; row++) {
            if (touched[row]) {
                double g = rowGradient[row];
                double squares = perExample ? rowSquares[row] : g * g;
                switch (config.optimizer()) {
                    case ADAGRAD -> adagrad(row, g, squares);
                    case FTRL -> ftrl(row, g, squares);
                }
            }
        }
        return p;
    }

    private void adagrad(int row, double g, double squares) {
        acc[row] += squares;
        w[row] -= config.embeddingLr() * g / (Math.sqrt(acc[row]) + SparseAdagrad.EPSILON);
    }

    /** McMahan et al. 2013, Algorithm 1 with beta = 0 and lambda2 = 0. */
    private void ftrl(int row, double g, double squares) {
        double n = acc[row] + squares;
        double sigma = (Math.sqrt(n) - Math.sqrt(acc[row])) / config.embeddingLr();
        z[row] += g - sigma * w[row];
        acc[row] = n;
        w[row] = Math.abs(z[row]) <= config.l1() ? 0
                : -(z[row] - Math.signum(z[row]) * config.l1()) * config.embeddingLr() / Math.sqrt(n);
    }
}
