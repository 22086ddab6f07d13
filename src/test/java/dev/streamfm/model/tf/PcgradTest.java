package dev.streamfm.model.tf;

import dev.streamfm.features.FeatureBatch;
import dev.streamfm.features.FeatureLayout;
import dev.streamfm.model.EmbeddingSharing;
import dev.streamfm.model.ModelConfig;
import dev.streamfm.model.ModelType;
import dev.streamfm.model.Tower;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PCGrad on the shared embedding rows against a Java recomputation from the raw per-tower field
 * gradients the probe fetches: each tower's gradient summed per touched row, projected onto the
 * normal plane of every other tower's where their dot product is negative, then summed.
 */
class PcgradTest {

    private static final int FIELDS = 3;
    private static final int DIM = 2;
    private static final int SIZE = 16;

    @Test
    void deepFmRowGradientsAreTheProjectedTowerGradients() {
        checkProjection(Fixtures.config(ModelType.DEEPFM, DIM, List.of(4, 3), false, 0, 0, 0.3).toBuilder()
                .sharing(EmbeddingSharing.PCGRAD).build());
    }

    @Test
    void threeTowersProjectAgainstEachOther() {
        checkProjection(Fixtures.config(ModelType.XDEEPFM, DIM, List.of(4), false, 0, 0, 0.3).toBuilder()
                .towers(EnumSet.of(Tower.FM, Tower.CIN, Tower.DNN)).cinLayers(List.of(4, 3))
                .sharing(EmbeddingSharing.PCGRAD).build());
    }

    @Test
    void sharingThatNeedsTwoTowersIsRefusedWithTheFix() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelConfig.builder(ModelType.FM).sharing(EmbeddingSharing.PCGRAD).build());
        assertTrue(e.getMessage().contains("needs two or more towers") && e.getMessage().contains("use shared"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ModelConfig.builder(ModelType.DEEPFM_DECOUPLED)
                .sharing(EmbeddingSharing.SHARED).build());
    }

    @Test
    void decoupledSharingGivesAnyVariantATablePerTower() {
        ModelConfig config = Fixtures.config(ModelType.AUTOINT, DIM, List.of(4), false, 0, 0, 0.3).toBuilder()
                .sharing(EmbeddingSharing.DECOUPLED).build();
        try (TfModel model = new TfModel(config, Fixtures.singleSlot(FIELDS, 4))) {
            List<String> names = model.exportState().variables().stream().map(v -> v.name()).toList();
            assertTrue(names.contains("embedding") && names.contains("attention_embedding"), names.toString());
        }
    }

    private static void checkProjection(ModelConfig config) {
        // few rows per field, so rows repeat within the batch and tower gradients meet on them
        FeatureLayout layout = Fixtures.singleSlot(FIELDS, 4);
        Random random = new Random(3);
        try (TfModel model = new TfModel(config, layout)) {
            for (int i = 0; i < 5; i++) {
                model.trainStep(Fixtures.batch(layout, SIZE, random, true), Fixtures.labels(SIZE, random));
            }
            FeatureBatch batch = Fixtures.batch(layout, SIZE, random, true);
            GradientProbe probe = model.probe(batch, Fixtures.labels(SIZE, random));
            int[] touched = probe.touchedRows();
            List<double[][]> towers = new ArrayList<>();
            for (String path : probe.fieldGradients().keySet()) {
                towers.add(perRow(probe.fieldGradients().get(path), batch, touched));
            }
            assertEquals(config.towers().size(), towers.size());
            float[] actual = probe.gradient("embedding");
            int conflicts = 0;
            for (int u = 0; u < touched.length; u++) {
                double[] expected = new double[DIM];
                for (int i = 0; i < towers.size(); i++) {
                    double[] g = towers.get(i)[u].clone();
                    for (int j = 0; j < towers.size(); j++) {
                        double[] o = towers.get(j)[u];
                        double dot = dot(g, o);
                        if (j != i && dot < 0) {
                            conflicts++;
                            double scale = dot / dot(o, o);
                            for (int d = 0; d < DIM; d++) {
                                g[d] -= scale * o[d];
                            }
                        }
                    }
                    for (int d = 0; d < DIM; d++) {
                        expected[d] += g[d];
                    }
                }
                for (int d = 0; d < DIM; d++) {
                    assertEquals(expected[d], actual[u * DIM + d], 1e-5 + 1e-4 * Math.abs(expected[d]),
                            "row " + touched[u] + " dim " + d);
                }
            }
            assertTrue(conflicts > 0, "the batch must hold rows on which towers conflict, or nothing was tested");
        }
    }

    /** A tower's per-example gradient at each touched row: B x the sum of value x field gradient. */
    private static double[][] perRow(float[] fieldGradient, FeatureBatch batch, int[] touched) {
        double[][] out = new double[touched.length][DIM];
        for (int b = 0; b < SIZE; b++) {
            for (int f = 0; f < FIELDS; f++) {
                int k = b * FIELDS + f;
                int u = indexOf(touched, batch.rows()[k]);
                for (int d = 0; d < DIM; d++) {
                    out[u][d] += SIZE * (double) batch.values()[k] * fieldGradient[k * DIM + d];
                }
            }
        }
        return out;
    }

    private static int indexOf(int[] rows, int row) {
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] == row) {
                return i;
            }
        }
        throw new AssertionError("row " + row + " not among the touched rows");
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int d = 0; d < a.length; d++) {
            s += a[d] * b[d];
        }
        return s;
    }
}
