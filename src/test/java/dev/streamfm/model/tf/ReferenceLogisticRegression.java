package dev.streamfm.model.tf;

import dev.streamfm.features.FeatureBatch;
import dev.streamfm.model.ModelConfig;

/**
 * Logistic regression trained in plain Java, in double precision, with the optimizer semantics the
 * model promises: first-order weights learn per example (the gradient of the loss summed over the
 * batch, with Adagrad or FTRL-Proximal), the bias with Adam on the batch-mean loss. The
 * independent computation the TensorFlow model is checked against.
 */
final class ReferenceLogisticRegression {

    private final ModelConfig config;
    private final double[] w;
    private final double[] acc;
    private final double[] z;
    private double bias;
    private double adamM;
    private double adamV;
    private long step;

    ReferenceLogisticRegression(ModelConfig config, int rows) {
        this.config = config;
        this.w = new double[rows];
        this.acc = new double[rows];
        this.z = new double[rows];
        java.util.Arrays.fill(acc, config.initAccumulator());
    }

    double[] weights() {
        return w.clone();
    }

    /** Predicts the batch with the current parameters, then updates them; returns the predictions. */
    double[] trainStep(FeatureBatch batch, float[] labels) {
        int b = batch.size();
        int slots = batch.slots();
        double[] p = new double[b];
        double[] rowGradient = new double[w.length];
        boolean[] touched = new boolean[w.length];
        double biasGradient = 0;
        for (int e = 0; e < b; e++) {
            double logit = bias;
            for (int s = 0; s < slots; s++) {
                logit += w[batch.rows()[e * slots + s]] * batch.values()[e * slots + s];
            }
            p[e] = 1 / (1 + Math.exp(-logit));
            double residual = p[e] - labels[e];
            biasGradient += residual / b;
            for (int s = 0; s < slots; s++) {
                int row = batch.rows()[e * slots + s];
                rowGradient[row] += residual * batch.values()[e * slots + s];
                touched[row] = true;
            }
        }
        for (int row = 0; row < w.length; row++) {
            if (touched[row]) {
                switch (config.optimizer()) {
                    case ADAGRAD -> adagrad(row, rowGradient[row]);
                    case FTRL -> ftrl(row, rowGradient[row]);
                }
            }
        }
        adam(biasGradient);
        step++;
        return p;
    }

    private void adagrad(int row, double g) {
        acc[row] += g * g;
        w[row] -= config.embeddingLr() * g / (Math.sqrt(acc[row]) + SparseAdagrad.EPSILON);
    }

    /** McMahan et al. 2013, Algorithm 1 with beta = 0 and lambda2 = 0. */
    private void ftrl(int row, double g) {
        double n = acc[row] + g * g;
        double sigma = (Math.sqrt(n) - Math.sqrt(acc[row])) / config.embeddingLr();
        z[row] += g - sigma * w[row];
        acc[row] = n;
        w[row] = Math.abs(z[row]) <= config.l1() ? 0
                : -(z[row] - Math.signum(z[row]) * config.l1()) * config.embeddingLr() / Math.sqrt(n);
    }

    private void adam(double g) {
        double t = step + 1;
        adamM = DenseAdam.BETA1 * adamM + (1 - DenseAdam.BETA1) * g;
        adamV = DenseAdam.BETA2 * adamV + (1 - DenseAdam.BETA2) * g * g;
        double lrT = config.denseLr() * Math.sqrt(1 - Math.pow(DenseAdam.BETA2, t)) / (1 - Math.pow(DenseAdam.BETA1, t));
        bias -= lrT * adamM / (Math.sqrt(adamV) + DenseAdam.EPSILON);
    }
}
