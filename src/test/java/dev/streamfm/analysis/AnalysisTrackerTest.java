package dev.streamfm.analysis;

import dev.streamfm.model.LayerKind;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AnalysisTrackerTest {

    private static final List<String> FIELDS = List.of("user", "item", "hour");
    private static final int BATCH = 4;
    private static final double EPS = 1e-9;

    @Test
    void rollingFiguresEqualARecomputationOverTheLastNSteps() {
        int window = 10;
        AnalysisTracker tracker = new AnalysisTracker(window);
        List<StepAnalysis> all = new ArrayList<>();
        Random rnd = new Random(7);
        for (int step = 0; step < 37; step++) {
            StepAnalysis a = randomStep(rnd, step * 10L);
            all.add(a);
            tracker.record(a);
        }
        List<StepAnalysis> last = all.subList(all.size() - window, all.size());
        AnalysisSnapshot s = tracker.snapshot();

        assertEquals(window, s.steps());
        assertEquals(360, s.lastStep());
        assertEquals(FIELDS, s.fields());
        assertEquals(last.stream().map(StepAnalysis::step).toList(),
                tracker.recent().stream().map(AnalysedStep::step).toList());

        for (int f = 0; f < FIELDS.size(); f++) {
            int field = f;
            Expected e = expected(last, a -> sums(a, field));
            ConflictSummary actual = s.conflictByField().get(FIELDS.get(f));
            e.check(actual, FIELDS.get(f));
        }
        expected(last, a -> sumsAll(a)).check(s.conflictAll().orElseThrow(), "all");

        for (int f = 0; f < FIELDS.size(); f++) {
            int field = f;
            double mean = last.stream().mapToDouble(a -> a.fieldImportance()[field]).average().orElseThrow();
            assertEquals(mean, s.fieldImportance().get(FIELDS.get(f)), EPS);
        }
        for (String layer : List.of("embedding", "dnn/dense0/kernel")) {
            List<LayerStat> stats = last.stream().flatMap(a -> a.layers().stream())
                    .filter(l -> l.layer().equals(layer)).toList();
            LayerSummary summary = s.layers().stream().filter(l -> l.layer().equals(layer)).findFirst().orElseThrow();
            assertEquals(stats.size(), summary.steps());
            assertEquals(stats.get(0).kind(), summary.kind());
            assertEquals(stats.stream().mapToDouble(LayerStat::importance).average().orElseThrow(),
                    summary.importance(), EPS);
            assertEquals(stats.stream().mapToDouble(LayerStat::gradNorm).average().orElseThrow(),
                    summary.gradNorm(), EPS);
            assertEquals(stats.stream().mapToDouble(LayerStat::paramNorm).average().orElseThrow(),
                    summary.paramNorm(), EPS);
            assertEquals(stats.stream().mapToDouble(LayerStat::updateRatio).average().orElseThrow(),
                    summary.updateRatio(), EPS);
        }
    }

    @Test
    void fieldsWithoutADnnGradientInTheWholeWindowHaveNoConflictFigures() {
        AnalysisTracker tracker = new AnalysisTracker(3);
        Random rnd = new Random(1);
        for (int i = 0; i < 3; i++) {
            StepAnalysis a = randomStep(rnd, i);
            TowerGradients t = a.firstPair().orElseThrow();
            for (int b = 0; b < BATCH; b++) {
                t.secondNormSq()[b * FIELDS.size() + 2] = 0;   // "hour" gets no DNN gradient
                t.dot()[b * FIELDS.size() + 2] = 0;
            }
            tracker.record(a);
        }
        AnalysisSnapshot s = tracker.snapshot();
        assertEquals(List.of("user", "item"), List.copyOf(s.conflictByField().keySet()));
        assertTrue(s.conflictAll().isPresent());
        assertEquals(3, s.fieldImportance().size(), "importance does not depend on the DNN gradient");
    }

    @Test
    void modelsWithoutTwoTowersReportImportanceButNoConflict() {
        AnalysisTracker tracker = new AnalysisTracker(5);
        tracker.record(new StepAnalysis(1, FIELDS, List.of(), new double[]{0.3, 0.1, 0.2}, List.of()));
        AnalysisSnapshot s = tracker.snapshot();
        assertTrue(s.conflictByField().isEmpty());
        assertTrue(s.conflictAll().isEmpty());
        assertEquals(List.of("user", "hour", "item"), s.fieldRanking());
    }

    @Test
    void listenersSeeEveryStepWithTheWindowAsOfThatStep() {
        AnalysisTracker tracker = new AnalysisTracker(2);
        List<Long> seen = new ArrayList<>();
        List<Integer> windowSizes = new ArrayList<>();
        tracker.addListener((step, window) -> {
            seen.add(step.step());
            windowSizes.add(window.steps());
            assertEquals(step.step(), window.lastStep());
        });
        Random rnd = new Random(3);
        AnalysedStep last = null;
        for (int i = 0; i < 4; i++) {
            last = tracker.record(randomStep(rnd, 100 + i));
        }
        assertEquals(List.of(100L, 101L, 102L, 103L), seen);
        assertEquals(List.of(1, 2, 2, 2), windowSizes);
        assertSame(last.analysis(), tracker.recent().get(1).analysis());
    }

    @Test
    void emptyTrackerAndBadWindow() {
        AnalysisSnapshot s = new AnalysisTracker(4).snapshot();
        assertEquals(0, s.steps());
        assertEquals(-1, s.lastStep());
        assertFalse(s.conflictAll().isPresent());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new AnalysisTracker(0));
        assertTrue(e.getMessage().contains("analysis window"), e.getMessage());
    }

    /** Mixed signs so that some steps conflict and some do not, plus an occasional dead DNN field. */
    private static StepAnalysis randomStep(Random rnd, long step) {
        int n = BATCH * FIELDS.size();
        float[] dot = new float[n];
        float[] fmSq = new float[n];
        float[] dnnSq = new float[n];
        for (int i = 0; i < n; i++) {
            double[] gFm = {rnd.nextGaussian(), rnd.nextGaussian()};
            double[] gDnn = {rnd.nextGaussian() * 3, rnd.nextGaussian() * 3};
            if (rnd.nextInt(10) == 0) {
                gDnn = new double[]{0, 0};
            }
            dot[i] = (float) (gFm[0] * gDnn[0] + gFm[1] * gDnn[1]);
            fmSq[i] = (float) (gFm[0] * gFm[0] + gFm[1] * gFm[1]);
            dnnSq[i] = (float) (gDnn[0] * gDnn[0] + gDnn[1] * gDnn[1]);
        }
        List<LayerStat> layers = new ArrayList<>();
        layers.add(new LayerStat("embedding", LayerKind.EMBEDDING, rnd.nextDouble(), rnd.nextDouble(),
                rnd.nextDouble(), rnd.nextDouble()));
        if (step % 20 == 0) {   // a variable missing from some steps must average over the steps it appears in
            layers.add(new LayerStat("dnn/dense0/kernel", LayerKind.DNN, rnd.nextDouble(), rnd.nextDouble(),
                    rnd.nextDouble(), rnd.nextDouble()));
        }
        return new StepAnalysis(step, FIELDS, List.of(new TowerGradients("fm", "dnn", BATCH, FIELDS.size(), dot, fmSq, dnnSq,
                true)), new double[]{rnd.nextDouble(), rnd.nextDouble(), rnd.nextDouble()}, layers);
    }

    /** (dot, |G_fm|^2, |G_dnn|^2) of one field, summed over the batch straight from the arrays. */
    private static double[] sums(StepAnalysis a, int field) {
        TowerGradients t = a.firstPair().orElseThrow();
        double[] s = new double[3];
        for (int b = 0; b < t.batchSize(); b++) {
            s[0] += t.dot()[b * t.fields() + field];
            s[1] += t.firstNormSq()[b * t.fields() + field];
            s[2] += t.secondNormSq()[b * t.fields() + field];
        }
        return s;
    }

    private static double[] sumsAll(StepAnalysis a) {
        double[] s = new double[3];
        for (int f = 0; f < FIELDS.size(); f++) {
            double[] fs = sums(a, f);
            for (int i = 0; i < 3; i++) {
                s[i] += fs[i];
            }
        }
        return s;
    }

    private record Expected(int steps, double share, double cosine, double dominance, double median, double phi) {
        void check(ConflictSummary actual, String what) {
            assertEquals(steps, actual.steps(), what);
            assertEquals(share, actual.conflictingShare(), EPS, what);
            assertEquals(cosine, actual.meanCosine(), 1e-6, what);
            assertEquals(dominance, actual.meanDominance(), 1e-6, what);
            assertEquals(median, actual.medianDominance(), 1e-6, what);
            assertEquals(phi, actual.meanMagnitudeSimilarity(), 1e-6, what);
        }
    }

    private static Expected expected(List<StepAnalysis> window, java.util.function.Function<StepAnalysis, double[]> f) {
        List<double[]> measured = new ArrayList<>();   // cosine, dominance, phi
        for (StepAnalysis a : window) {
            double[] s = f.apply(a);
            if (s[1] > 0 && s[2] > 0) {
                double nFm = Math.sqrt(s[1]);
                double nDnn = Math.sqrt(s[2]);
                measured.add(new double[]{s[0] / (nFm * nDnn), nDnn / nFm, 2 * nFm * nDnn / (s[1] + s[2])});
            }
        }
        assertFalse(measured.isEmpty());
        double[] dominance = measured.stream().mapToDouble(m -> m[1]).sorted().toArray();
        int n = dominance.length;
        double median = n % 2 == 1 ? dominance[n / 2] : (dominance[n / 2 - 1] + dominance[n / 2]) / 2;
        return new Expected(n, measured.stream().filter(m -> m[0] < 0).count() / (double) n,
                measured.stream().mapToDouble(m -> m[0]).average().orElseThrow(),
                measured.stream().mapToDouble(m -> m[1]).average().orElseThrow(), median,
                measured.stream().mapToDouble(m -> m[2]).average().orElseThrow());
    }
}
