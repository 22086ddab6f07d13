package dev.streamfm.model.tf;

import dev.streamfm.model.ModelState;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

import java.util.List;
import java.util.Random;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CIN and self-attention towers compute what their papers' formulas say: their logits on
 * random field embeddings equal an explicit loop over examples, feature maps, heads and fields,
 * written here from the formulas in double precision, to 1e-5.
 */
class TowerReferenceTest {

    private static final int BATCH = 3;
    private static final int FIELDS = 4;
    private static final int DIM = 3;
    private static final double TOL = 1e-5;

    /** A tower's logits on {@code x} [B, F, D] and its variables after initialisation. */
    private record Run(float[] logits, ModelState variables) {
        float[] get(String name) {
            return variables.variable(name).values();
        }
    }

    private static Run run(Function<VariableIO, InteractionTower> create, float[] x) {
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            VariableIO vars = new VariableIO(tf, 3L);
            InteractionTower tower = create.apply(vars);
            Operand<TFloat32> fields = tf.reshape(tf.constant(x), tf.constant(new int[] {BATCH, FIELDS, DIM}));
            Operand<TFloat32> logit = tower.inference(tf, fields);
            try (Session s = new Session(g)) {
                s.initialize();
                try (Result r = s.runner().fetch(logit).run()) {
                    return new Run(Tensors.floats(r.get(0)), vars.export(s, 0));
                }
            }
        }
    }

    private static float[] randomFields(long seed, double scale) {
        Random random = new Random(seed);
        float[] x = new float[BATCH * FIELDS * DIM];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (scale * random.nextGaussian());
        }
        return x;
    }

    @Test
    void cinMatchesTheSplitHalfFormula() {
        List<Integer> sizes = List.of(4, 6, 3);
        float[] x = randomFields(1, 1);
        Run run = run(vars -> CinTower.create(vars, FIELDS, DIM, sizes), x);
        double largest = 0;
        for (int b = 0; b < BATCH; b++) {
            double[][] x0 = new double[FIELDS][DIM];
            for (int i = 0; i < FIELDS; i++) {
                for (int d = 0; d < DIM; d++) {
                    x0[i][d] = x[(b * FIELDS + i) * DIM + d];
                }
            }
            double[][] prev = x0;
            double[] pooled = new double[2 + 3 + 3];
            int p = 0;
            for (int k = 0; k < sizes.size(); k++) {
                int size = sizes.get(k);
                float[] w = run.get("cin_" + k + "_w");
                double[][] maps = new double[size][DIM];
                for (int j = 0; j < size; j++) {
                    for (int d = 0; d < DIM; d++) {
                        for (int h = 0; h < prev.length; h++) {
                            for (int i = 0; i < FIELDS; i++) {
                                maps[j][d] += w[(h * FIELDS + i) * size + j] * prev[h][d] * x0[i][d];
                            }
                        }
                    }
                }
                boolean last = k == sizes.size() - 1;
                int next = last ? 0 : size / 2;
                for (int j = next; j < size; j++) {
                    for (int d = 0; d < DIM; d++) {
                        pooled[p] += maps[j][d];
                    }
                    p++;
                }
                prev = java.util.Arrays.copyOf(maps, next);
            }
            assertEquals(pooled.length, p);
            double expected = run.get("cin_output_b")[0];
            for (int j = 0; j < pooled.length; j++) {
                expected += pooled[j] * run.get("cin_output_w")[j];
            }
            largest = Math.max(largest, Math.abs(expected));
            assertEquals(expected, run.logits()[b], TOL, "CIN logit of example " + b);
        }
        assertTrue(largest > 0.1, "sizeable logits, so the comparison means something: " + largest);
    }

    @Test
    void selfAttentionMatchesTheAutoIntFormula() {
        int layers = 2;
        int heads = 2;
        int width = heads * DIM;
        float[] x = randomFields(2, 2);
        Run run = run(vars -> AttentionTower.create(vars, FIELDS, DIM, layers, heads), x);
        double largest = 0;
        for (int b = 0; b < BATCH; b++) {
            double[][] e = new double[FIELDS][DIM];
            for (int i = 0; i < FIELDS; i++) {
                for (int d = 0; d < DIM; d++) {
                    e[i][d] = x[(b * FIELDS + i) * DIM + d];
                }
            }
            for (int l = 0; l < layers; l++) {
                String p = "attention_" + l + "_";
                double[][] q = project(e, run.get(p + "query"), width);
                double[][] k = project(e, run.get(p + "key"), width);
                double[][] v = project(e, run.get(p + "value"), width);
                double[][] out = project(e, run.get(p + "residual"), width);
                for (int h = 0; h < heads; h++) {
                    for (int i = 0; i < FIELDS; i++) {
                        double[] score = new double[FIELDS];
                        double max = Double.NEGATIVE_INFINITY;
                        for (int j = 0; j < FIELDS; j++) {
                            for (int d = 0; d < DIM; d++) {
                                score[j] += q[i][h * DIM + d] * k[j][h * DIM + d];
                            }
                            max = Math.max(max, score[j]);
                        }
                        double total = 0;
                        for (int j = 0; j < FIELDS; j++) {
                            score[j] = Math.exp(score[j] - max);
                            total += score[j];
                        }
                        for (int j = 0; j < FIELDS; j++) {
                            for (int d = 0; d < DIM; d++) {
                                out[i][h * DIM + d] += score[j] / total * v[j][h * DIM + d];
                            }
                        }
                    }
                }
                for (double[] row : out) {
                    for (int c = 0; c < width; c++) {
                        row[c] = Math.max(0, row[c]);
                    }
                }
                e = out;
            }
            double expected = run.get("attention_output_b")[0];
            float[] w = run.get("attention_output_w");
            for (int i = 0; i < FIELDS; i++) {
                for (int c = 0; c < width; c++) {
                    expected += e[i][c] * w[i * width + c];
                }
            }
            largest = Math.max(largest, Math.abs(expected));
            assertEquals(expected, run.logits()[b], TOL, "attention logit of example " + b);
        }
        assertTrue(largest > 0.1, "sizeable logits, so the comparison means something: " + largest);
    }

    /** rows [n, in] times w [in, out] (row-major). */
    private static double[][] project(double[][] rows, float[] w, int out) {
        int in = rows[0].length;
        double[][] r = new double[rows.length][out];
        for (int n = 0; n < rows.length; n++) {
            for (int c = 0; c < out; c++) {
                for (int j = 0; j < in; j++) {
                    r[n][c] += rows[n][j] * w[j * out + c];
                }
            }
        }
        return r;
    }
}
