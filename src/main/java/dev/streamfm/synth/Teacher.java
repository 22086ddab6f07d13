package dev.streamfm.synth;

import java.util.SplittableRandom;

/**
 * The planted DeepFM-like model that decides every synthetic click: a bias, a weight per field
 * value, pairwise interactions through low-rank teacher vectors (the FM term) and a small tanh MLP
 * over the concatenated vectors. Per-value weights and vectors come in two independent draws that
 * {@link Drift} mixes by angle. Immutable, so generators on several threads can share one.
 */
final class Teacher {

    private static final long PARAMETERS = 1;
    private static final long CALIBRATION = 2;
    private static final int CALIBRATION_EVENTS = 20_000;

    private final int fields;
    private final int values;
    private final int rank;
    private final int hidden;
    private final float[][] weights = new float[2][];
    private final float[][] vectors = new float[2][];
    private final double[] hiddenWeights;
    private final double[] hiddenBias;
    private final double[] outputWeights;
    private double linearScale = 1;
    private double interactionScale = 1;
    private double mlpScale = 1;
    private double bias;

    Teacher(SynthShape shape, SynthConfig config, FieldValues fieldValues) {
        fields = shape.fields();
        values = fieldValues.rows();
        rank = config.teacherRank();
        hidden = config.teacherHidden();
        SplittableRandom r = Seeds.stream(config.seed(), PARAMETERS, 0);
        for (int draw = 0; draw < 2; draw++) {
            weights[draw] = gaussians(r, fields * values, 1);
            vectors[draw] = gaussians(r, fields * values * rank, 1);
            shrinkTail(weights[draw], 1, fieldValues, config.tailDecay());
            shrinkTail(vectors[draw], rank, fieldValues, config.tailDecay());
            center(vectors[draw], fieldValues);
        }
        int inputs = fields * rank;
        hiddenWeights = toDouble(gaussians(r, inputs * hidden, 1 / Math.sqrt(inputs)));
        hiddenBias = toDouble(gaussians(r, hidden, 0.5));
        outputWeights = toDouble(gaussians(r, hidden, 1 / Math.sqrt(hidden)));
        calibrate(config, fieldValues);
    }

    private static float[] gaussians(SplittableRandom r, int n, double std) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (std * Seeds.gaussian(r));
        }
        return a;
    }

    /** Scales the parameters of each row (of {@code width} per field value) by its value's scale. */
    private void shrinkTail(float[] a, int width, FieldValues fieldValues, double decay) {
        for (int row = 0; row < fields * values; row++) {
            float scale = (float) fieldValues.rowScale(row % values, decay);
            for (int i = row * width; i < (row + 1) * width; i++) {
                a[i] *= scale;
            }
        }
    }

    /**
     * Makes every field's teacher vectors average zero under the value distribution, so the
     * pairwise term has no first-order part: what it adds, a linear model cannot absorb.
     */
    private void center(float[] v, FieldValues fieldValues) {
        for (int f = 0; f < fields; f++) {
            for (int d = 0; d < rank; d++) {
                double mean = 0;
                for (int r = 0; r < values; r++) {
                    mean += fieldValues.rowProbability(r) * v[(f * values + r) * rank + d];
                }
                for (int r = 0; r < values; r++) {
                    v[(f * values + r) * rank + d] -= (float) mean;
                }
            }
        }
    }

    private static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    /** Scales each term to its configured std, then solves for the bias that gives the base rate. */
    private void calibrate(SynthConfig config, FieldValues fieldValues) {
        double[][] terms = new double[CALIBRATION_EVENTS][];
        int[] rows = new int[fields];
        long from = fieldValues.stationaryFrom();
        for (int i = 0; i < CALIBRATION_EVENTS; i++) {
            SplittableRandom r = Seeds.stream(config.seed(), CALIBRATION, i);
            for (int f = 0; f < fields; f++) {
                rows[f] = fieldValues.row(fieldValues.sample(r, from + i));
            }
            terms[i] = terms(rows, 0);
        }
        linearScale = scaleTo(terms, 0, config.linearStd());
        interactionScale = scaleTo(terms, 1, config.interactionStd());
        mlpScale = scaleTo(terms, 2, config.mlpStd());
        double[] rest = new double[CALIBRATION_EVENTS];
        for (int i = 0; i < CALIBRATION_EVENTS; i++) {
            rest[i] = linearScale * terms[i][0] + interactionScale * terms[i][1] + mlpScale * terms[i][2];
        }
        double lo = -30;
        double hi = 30;
        for (int it = 0; it < 100; it++) {
            double mid = 0.5 * (lo + hi);
            if (meanProbability(rest, mid) < config.baseRate()) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        bias = 0.5 * (lo + hi);
    }

    private static double scaleTo(double[][] terms, int term, double targetStd) {
        double sum = 0;
        double sumSq = 0;
        for (double[] t : terms) {
            sum += t[term];
            sumSq += t[term] * t[term];
        }
        double mean = sum / terms.length;
        double std = Math.sqrt(Math.max(0, sumSq / terms.length - mean * mean));
        return std == 0 ? 0 : targetStd / std;
    }

    private static double meanProbability(double[] rest, double bias) {
        double s = 0;
        for (double x : rest) {
            s += sigmoid(bias + x);
        }
        return s / rest.length;
    }

    static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /** Click probability of an event whose fields use these parameter rows, at this drift angle. */
    double probability(int[] rows, double angle) {
        double[] t = terms(rows, angle);
        return sigmoid(bias + linearScale * t[0] + interactionScale * t[1] + mlpScale * t[2]);
    }

    /** The unscaled linear, pairwise and MLP terms. */
    private double[] terms(int[] rows, double angle) {
        double c = Math.cos(angle);
        double s = Math.sin(angle);
        double linear = 0;
        double[] x = new double[fields * rank];
        for (int f = 0; f < fields; f++) {
            int row = f * values + rows[f];
            linear += c * weights[0][row] + s * weights[1][row];
            for (int d = 0; d < rank; d++) {
                x[f * rank + d] = c * vectors[0][row * rank + d] + s * vectors[1][row * rank + d];
            }
        }
        double pairwise = 0;
        for (int d = 0; d < rank; d++) {
            double sum = 0;
            double sumSq = 0;
            for (int f = 0; f < fields; f++) {
                double v = x[f * rank + d];
                sum += v;
                sumSq += v * v;
            }
            pairwise += 0.5 * (sum * sum - sumSq);
        }
        double mlp = 0;
        for (int h = 0; h < hidden; h++) {
            double a = hiddenBias[h];
            for (int i = 0; i < x.length; i++) {
                a += x[i] * hiddenWeights[i * hidden + h];
            }
            mlp += outputWeights[h] * Math.tanh(a);
        }
        return new double[] {linear, pairwise, mlp};
    }
}
