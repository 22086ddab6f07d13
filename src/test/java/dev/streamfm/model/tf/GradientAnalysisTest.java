package dev.streamfm.model.tf;

import dev.streamfm.analysis.LayerStat;
import dev.streamfm.analysis.StepAnalysis;
import dev.streamfm.analysis.TowerGradients;
import dev.streamfm.features.FeatureBatch;
import dev.streamfm.features.FeatureLayout;
import dev.streamfm.model.AnalysisLevel;
import dev.streamfm.model.LayerKind;
import dev.streamfm.model.ModelConfig;
import dev.streamfm.model.ModelState;
import dev.streamfm.model.ModelType;
import dev.streamfm.model.Tower;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The step analysis against independent computations on tiny models: the tower gradients add up
 * to the embedding gradient, the FM one equals its closed form, and every reduced figure (tower
 * dot and norms, field importance, layer statistics) equals a Java recomputation from the full
 * gradients the probe fetches and the variables exported around the step.
 */
class GradientAnalysisTest {

    private static final int FIELDS = 3;
    private static final int DIM = 2;
    private static final int SIZE = 6;

    @Test
    void sharedDeepFmTowersAddUpAndMatchTheFmClosedForm() {
        // every example reads its own rows and slot values are 1, so a row's gradient is one example's
        FeatureLayout layout = Fixtures.singleSlot(FIELDS, SIZE);
        try (TfModel model = new TfModel(Fixtures.config(ModelType.DEEPFM, DIM, List.of(4), false, 0, 0, 0.3), layout)) {
            FeatureBatch batch = Fixtures.distinctRowsBatch(layout, SIZE);
            float[] labels = Fixtures.labels(SIZE, new Random(2));
            GradientProbe probe = model.probe(batch, labels);
            float[] gFm = probe.fieldGradients().get("fm");
            float[] gDnn = probe.fieldGradients().get("dnn");
            float[] e = probe.fieldOutputs().get("fm");
            float[] gRows = probe.gradient("embedding");
            Map<Integer, Integer> position = positions(probe.touchedRows());
            for (int b = 0; b < SIZE; b++) {
                double p = Fixtures.sigmoid(probe.logits()[b]);
                for (int f = 0; f < FIELDS; f++) {
                    int row = position.get(batch.rows()[b * FIELDS + f]);
                    for (int d = 0; d < DIM; d++) {
                        int i = (b * FIELDS + f) * DIM + d;
                        assertEquals(gRows[row * DIM + d], SIZE * (gFm[i] + gDnn[i]), 1e-6,
                                "B (g_fm + g_dnn) = the per-example embedding gradient");
                        double sum = 0;
                        for (int f2 = 0; f2 < FIELDS; f2++) {
                            sum += e[(b * FIELDS + f2) * DIM + d];
                        }
                        double closedForm = (p - labels[b]) * (sum - e[i]);
                        assertEquals(closedForm, SIZE * gFm[i], 1e-6 + 1e-5 * Math.abs(closedForm),
                                "per-example FM gradient of example " + b + " field " + f);
                    }
                }
            }
        }
    }

    @Test
    void sharedDeepFmAnalysisMatchesRecomputation() {
        checkAnalysis(ModelType.DEEPFM, Fixtures.multiSlot(new int[] {2, 1, 1}, 8), true);
    }

    @Test
    void decoupledDeepFmAnalysisMatchesRecomputation() {
        checkAnalysis(ModelType.DEEPFM_DECOUPLED, Fixtures.singleSlot(FIELDS, 8), false);
    }

    @Test
    void fmAnalysisHasNoTowersAndMatchesRecomputation() {
        checkAnalysis(ModelType.FM, Fixtures.singleSlot(FIELDS, 8), false);
    }

    @Test
    void lrAnalysisUsesFirstOrderFieldsAndMatchesRecomputation() {
        checkAnalysis(ModelType.LR, Fixtures.multiSlot(new int[] {1, 2, 1}, 8), false);
    }

    /** Three towers on one table: every pair's figures, each from the two towers' raw gradients. */
    @Test
    void everyPairOfXDeepFmWithFmMatchesRecomputation() {
        ModelConfig config = Fixtures.config(ModelType.XDEEPFM, DIM, List.of(4, 3), false, 0, 0.01, 0.3).toBuilder()
                .towers(EnumSet.of(Tower.FM, Tower.CIN, Tower.DNN)).cinLayers(List.of(4, 3)).build();
        StepAnalysis analysis = checkAnalysis(config, Fixtures.singleSlot(FIELDS, 8));
        assertEquals(List.of("fm-cin", "fm-dnn", "cin-dnn"),
                analysis.pairs().stream().map(TowerGradients::pair).toList());
    }

    /**
     * The cheap level computes the same conflict figures and field importance without layer
     * statistics, and neither level changes the update: both models end bitwise equal.
     */
    @Test
    void conflictsLevelEqualsFullWithoutLayersAndLeavesTheUpdateAlone() {
        ModelConfig config = Fixtures.config(ModelType.DEEPFM, DIM, List.of(4, 3), false, 0, 0.01, 0.3);
        FeatureLayout layout = Fixtures.singleSlot(FIELDS, 8);
        Random random = new Random(9);
        try (TfModel full = new TfModel(config, layout); TfModel conflicts = new TfModel(config, layout);
             TfModel plain = new TfModel(config, layout)) {
            for (int i = 0; i < 4; i++) {
                FeatureBatch batch = Fixtures.batch(layout, SIZE, random, true);
                float[] labels = Fixtures.labels(SIZE, random);
                StepAnalysis a = full.trainStep(batch, labels, AnalysisLevel.FULL).analysis().orElseThrow();
                StepAnalysis b = conflicts.trainStep(batch, labels, AnalysisLevel.CONFLICTS).analysis().orElseThrow();
                assertTrue(plain.trainStep(batch, labels, AnalysisLevel.OFF).analysis().isEmpty());
                assertFalse(a.layers().isEmpty(), "the full level has layer statistics");
                assertTrue(b.layers().isEmpty(), "the conflicts level reads no layer");
                assertEquals(a.pairs().size(), b.pairs().size());
                for (int p = 0; p < a.pairs().size(); p++) {
                    assertArrayEquals(a.pairs().get(p).dot(), b.pairs().get(p).dot(), "pair " + p + " of step " + i);
                }
                assertArrayEquals(a.fieldImportance(), b.fieldImportance(), 0.0, "field importance of step " + i);
            }
            ModelState x = plain.exportState();
            for (TfModel analysed : List.of(full, conflicts)) {
                ModelState y = analysed.exportState();
                for (var v : x.variables()) {
                    assertArrayEquals(v.values(), y.variable(v.name()).values(), v.name() + " moved by the analysis");
                }
            }
        }
    }

    private static void checkAnalysis(ModelType type, FeatureLayout layout, boolean batchNorm) {
        checkAnalysis(Fixtures.config(type, DIM, List.of(4, 3), batchNorm, 0, 0.01, 0.3), layout);
    }

    private static StepAnalysis checkAnalysis(ModelConfig config, FeatureLayout layout) {
        Random random = new Random(8);
        try (TfModel model = new TfModel(config, layout)) {
            for (int i = 0; i < 3; i++) {
                model.trainStep(Fixtures.batch(layout, SIZE, random, true), Fixtures.labels(SIZE, random));
            }
            FeatureBatch batch = Fixtures.batch(layout, SIZE, random, true);
            float[] labels = Fixtures.labels(SIZE, random);
            GradientProbe probe = model.probe(batch, labels);
            ModelState before = model.exportState();
            StepAnalysis analysis = model.trainStep(batch, labels, AnalysisLevel.FULL).analysis().orElseThrow();
            ModelState after = model.exportState();

            assertEquals(before.step(), analysis.step());
            assertEquals(layout.fieldNames(), analysis.fields());
            checkPairs(config, probe, analysis);
            checkFieldImportance(probe, analysis);
            checkLayers(model, probe, before, after, analysis);
            return analysis;
        }
    }

    private static void checkPairs(ModelConfig config, GradientProbe probe, StepAnalysis analysis) {
        int towers = config.towers().size();
        assertEquals(towers * (towers - 1) / 2, analysis.pairs().size(), "one pair per two towers");
        for (TowerGradients pair : analysis.pairs()) {
            assertEquals(config.type() != ModelType.DEEPFM_DECOUPLED, pair.sharedEmbedding());
            float[] gA = probe.fieldGradients().get(pair.first());
            float[] gB = probe.fieldGradients().get(pair.second());
            for (int b = 0; b < SIZE; b++) {
                for (int f = 0; f < FIELDS; f++) {
                    double dot = 0;
                    double a = 0;
                    double c = 0;
                    for (int d = 0; d < DIM; d++) {
                        int i = (b * FIELDS + f) * DIM + d;
                        double x = SIZE * (double) gA[i];
                        double y = SIZE * (double) gB[i];
                        dot += x * y;
                        a += x * x;
                        c += y * y;
                    }
                    int k = b * FIELDS + f;
                    String where = pair.pair() + " of example " + b + " field " + f;
                    assertClose(dot, pair.dot()[k], "dot " + where);
                    assertClose(a, pair.firstNormSq()[k], "|g_first|^2 " + where);
                    assertClose(c, pair.secondNormSq()[k], "|g_second|^2 " + where);
                }
            }
        }
    }

    /** mean over the batch of |sum over paths and d of B * g * e|. */
    private static void checkFieldImportance(GradientProbe probe, StepAnalysis analysis) {
        for (int f = 0; f < FIELDS; f++) {
            double mean = 0;
            for (int b = 0; b < SIZE; b++) {
                double taylor = 0;
                for (String path : probe.fieldOutputs().keySet()) {
                    float[] g = probe.fieldGradients().get(path);
                    float[] e = probe.fieldOutputs().get(path);
                    int width = e.length / (SIZE * FIELDS);
                    for (int d = 0; d < width; d++) {
                        int i = (b * FIELDS + f) * width + d;
                        taylor += SIZE * (double) g[i] * e[i];
                    }
                }
                mean += Math.abs(taylor) / SIZE;
            }
            assertTrue(mean > 0, "field " + f + " should matter");
            assertClose(mean, analysis.fieldImportance()[f], "importance of field " + f);
        }
    }

    private static void checkLayers(TfModel model, GradientProbe probe, ModelState before, ModelState after,
                                    StepAnalysis analysis) {
        assertEquals(List.copyOf(probe.gradients().keySet()), analysis.layers().stream().map(LayerStat::layer).toList());
        int[] touched = probe.touchedRows();
        for (LayerStat stat : analysis.layers()) {
            String name = stat.layer();
            float[] g = probe.gradient(name);
            float[] theta = before.variable(name).values();
            float[] thetaAfter = after.variable(name).values();
            boolean table = g.length != theta.length;
            int width = table ? g.length / touched.length : 1;
            double importance = 0;
            double gradSq = 0;
            double paramSq = 0;
            double deltaSq = 0;
            for (int i = 0; i < g.length; i++) {
                int j = table ? touched[i / width] * width + i % width : i;
                importance += Math.abs((double) g[i] * theta[j]) / g.length;
                gradSq += (double) g[i] * g[i];
                paramSq += (double) theta[j] * theta[j];
                deltaSq += ((double) thetaAfter[j] - theta[j]) * ((double) thetaAfter[j] - theta[j]);
            }
            assertEquals(expectedKind(name), stat.kind(), name);
            assertClose(importance, stat.importance(), name + " importance");
            assertClose(Math.sqrt(gradSq), stat.gradNorm(), name + " gradient norm");
            assertClose(Math.sqrt(paramSq), stat.paramNorm(), name + " parameter norm");
            double ratio = paramSq == 0 ? 0 : Math.sqrt(deltaSq / paramSq);
            assertEquals(ratio, stat.updateRatio(), 1e-5 + 1e-3 * ratio, name + " update ratio");
        }
        assertFalse(analysis.layers().isEmpty());
        assertEquals(model.variables().stream().filter(v -> probe.gradients().containsKey(v.name())).count(),
                analysis.layers().size());
    }

    private static LayerKind expectedKind(String name) {
        Map<String, LayerKind> fixed = new HashMap<>(Map.of("embedding", LayerKind.EMBEDDING, "fm_embedding", LayerKind.FM,
                "linear", LayerKind.LINEAR, "bias", LayerKind.LINEAR));
        for (LayerKind tower : List.of(LayerKind.CIN, LayerKind.ATTENTION)) {
            if (name.startsWith(tower.label() + "_")) {
                return tower;
            }
        }
        return fixed.getOrDefault(name, name.startsWith("output") ? LayerKind.OUTPUT : LayerKind.DNN);
    }

    private static Map<Integer, Integer> positions(int[] rows) {
        Map<Integer, Integer> out = new HashMap<>();
        for (int i = 0; i < rows.length; i++) {
            out.put(rows[i], i);
        }
        return out;
    }

    private static void assertClose(double expected, double actual, String what) {
        assertEquals(expected, actual, 1e-7 + 1e-4 * Math.abs(expected), what);
    }
}
