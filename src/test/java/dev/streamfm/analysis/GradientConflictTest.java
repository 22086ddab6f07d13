package dev.streamfm.analysis;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GradientConflictTest {

    private static final double EPS = 1e-9;

    @Test
    void orthogonalGradientsOfDifferentSize() {
        // G_fm = (3, 0), G_dnn = (0, 4): cosine 0, dominance 4/3, Phi = 2*3*4 / (9 + 16)
        GradientConflict c = GradientConflict.of(0, 9, 16).orElseThrow();
        assertEquals(0.0, c.cosine(), EPS);
        assertEquals(4.0 / 3.0, c.dominance(), EPS);
        assertEquals(24.0 / 25.0, c.magnitudeSimilarity(), EPS);
        assertFalse(c.conflicting());
    }

    @Test
    void opposedGradientsConflict() {
        // G_fm = (1, 0), G_dnn = (-2, 0)
        GradientConflict c = GradientConflict.of(-2, 1, 4).orElseThrow();
        assertEquals(-1.0, c.cosine(), EPS);
        assertEquals(2.0, c.dominance(), EPS);
        assertEquals(0.8, c.magnitudeSimilarity(), EPS);
        assertTrue(c.conflicting());
    }

    @Test
    void zeroOrNonFiniteNormsAreAbsentNotNaN() {
        assertEquals(Optional.empty(), GradientConflict.of(0, 1, 0), "no DNN-path gradient");
        assertEquals(Optional.empty(), GradientConflict.of(0, 0, 1), "no FM-path gradient");
        assertEquals(Optional.empty(), GradientConflict.of(0, 0, 0), "dead field");
        assertEquals(Optional.empty(), GradientConflict.of(Double.NaN, 1, 1));
        assertEquals(Optional.empty(), GradientConflict.of(1, Double.POSITIVE_INFINITY, 1));
        assertEquals(Optional.empty(), GradientConflict.of(1, 1, Double.NaN));
    }

    @Test
    void roundingPastOneIsClampedIntoTheHistogramRange() {
        assertEquals(1.0, GradientConflict.of(1.0000004, 1, 1).orElseThrow().cosine());
        assertEquals(-1.0, GradientConflict.of(-1.0000004, 1, 1).orElseThrow().cosine());
    }

    /**
     * Per-field and overall figures from the per-example reductions must equal the formulas on the
     * full (batch x D) gradient matrices, with "all" the concatenation over fields.
     */
    @Test
    void stepConflictMatchesFormulasOnTheFullGradients() {
        int batch = 2;
        int dim = 3;
        // [field][example][d]
        double[][][] fm = {
                {{1, 2, 0}, {0, 1, -1}},
                {{0.5, 0, 0}, {0, -0.5, 2}},
                {{1, 1, 1}, {2, 0, 0}},        // DNN sends nothing here
        };
        double[][][] dnn = {
                {{-1, 0, 3}, {2, 2, 0}},
                {{-4, 0, 1}, {0, 3, -1}},
                {{0, 0, 0}, {0, 0, 0}},
        };
        int fields = fm.length;
        float[] dot = new float[batch * fields];
        float[] fmSq = new float[batch * fields];
        float[] dnnSq = new float[batch * fields];
        for (int f = 0; f < fields; f++) {
            for (int b = 0; b < batch; b++) {
                for (int d = 0; d < dim; d++) {
                    dot[b * fields + f] += (float) (fm[f][b][d] * dnn[f][b][d]);
                    fmSq[b * fields + f] += (float) (fm[f][b][d] * fm[f][b][d]);
                    dnnSq[b * fields + f] += (float) (dnn[f][b][d] * dnn[f][b][d]);
                }
            }
        }
        StepConflict step = StepConflict.of(List.of("user", "item", "hour"),
                new TowerGradients("fm", "dnn", batch, fields, dot, fmSq, dnnSq, true));

        assertEquals(List.of("user", "item"), List.copyOf(step.byField().keySet()), "hour has no DNN gradient");
        assertMatches(flatten(fm[0]), flatten(dnn[0]), step.byField().get("user"));
        assertMatches(flatten(fm[1]), flatten(dnn[1]), step.byField().get("item"));
        assertMatches(flatten(fm), flatten(dnn), step.all().orElseThrow());
    }

    @Test
    void aStepWithoutAnyDnnGradientHasNoConflictAtAll() {
        StepConflict step = StepConflict.of(List.of("a", "b"),
                new TowerGradients("fm", "dnn", 1, 2, new float[2], new float[]{1, 2}, new float[2], true));
        assertTrue(step.byField().isEmpty());
        assertTrue(step.all().isEmpty());
    }

    private static void assertMatches(double[] gFm, double[] gDnn, GradientConflict actual) {
        double dot = 0;
        double nFm = 0;
        double nDnn = 0;
        for (int i = 0; i < gFm.length; i++) {
            dot += gFm[i] * gDnn[i];
            nFm += gFm[i] * gFm[i];
            nDnn += gDnn[i] * gDnn[i];
        }
        nFm = Math.sqrt(nFm);
        nDnn = Math.sqrt(nDnn);
        assertEquals(dot / (nFm * nDnn), actual.cosine(), 1e-6);
        assertEquals(nDnn / nFm, actual.dominance(), 1e-6);
        assertEquals(2 * nFm * nDnn / (nFm * nFm + nDnn * nDnn), actual.magnitudeSimilarity(), 1e-6);
    }

    private static double[] flatten(double[][]... parts) {
        return java.util.Arrays.stream(parts).flatMap(java.util.Arrays::stream)
                .flatMapToDouble(java.util.Arrays::stream).toArray();
    }
}
