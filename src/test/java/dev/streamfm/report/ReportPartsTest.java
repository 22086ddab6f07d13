package dev.streamfm.report;

import dev.streamfm.analysis.GradientConflict;
import dev.streamfm.analysis.TowerGradients;
import dev.streamfm.schema.ClickEvent;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The small pieces of the report, each against numbers worked out by hand. */
class ReportPartsTest {

    @Test
    void cosineBinsAreLowerInclusiveAndTheLastHoldsOne() {
        assertEquals(0, CosineHistogram.bin(-1.0));
        assertEquals(0, CosineHistogram.bin(-0.95));
        assertEquals(1, CosineHistogram.bin(-0.9));
        assertEquals(9, CosineHistogram.bin(-1e-9), "just below 0 is conflicting");
        assertEquals(10, CosineHistogram.bin(0.0), "0 is not a conflict");
        assertEquals(13, CosineHistogram.bin(0.3));
        assertEquals(19, CosineHistogram.bin(0.95));
        assertEquals(19, CosineHistogram.bin(1.0));
        CosineHistogram h = CosineHistogram.of(List.of(conflict(-0.5), conflict(-0.5), conflict(0.25)));
        assertEquals(2, h.counts()[5]);
        assertEquals(1, h.counts()[12]);
        assertEquals(3, h.total());
    }

    @Test
    void rollingMeanAndMedianSkipMissingValues() {
        double nan = Double.NaN;
        double[] v = {1, nan, 3, 10, nan, nan, nan};
        assertArrayEquals(new double[]{1, 1, 3, 6.5, 10, nan, nan}, Rolling.mean(v, 2), 1e-12);
        assertArrayEquals(new double[]{1, 1, 2, 6.5, 6.5, 10, nan}, Rolling.median(v, 3), 1e-12);
        assertArrayEquals(v, Rolling.mean(v, 1), 0);
        assertEquals(1, Rolling.window(79));
        assertEquals(10, Rolling.window(400));
    }

    @Test
    void embeddingGradientsOfTwoExamplesByHand() {
        // Example 0: g_fm = (3, 0), g_dnn = (0, 4); example 1: g_fm = (1, 1), g_dnn = (-1, -1). One field.
        TowerGradients t = new TowerGradients("fm", "dnn", 2, 1, new float[]{0, -2}, new float[]{9, 2}, new float[]{16, 2}, true);
        EmbeddingGradients e = EmbeddingGradients.of(t);
        assertEquals(Math.sqrt((9 + 2) / 2.0), e.fmPath()[0], 1e-12);
        assertEquals(Math.sqrt((16 + 2) / 2.0), e.dnnPath()[0], 1e-12);
        // |g_fm + g_dnn|^2: (3, 4) -> 25; (0, 0) -> 0
        assertEquals(Math.sqrt(25 / 2.0), e.sum()[0], 1e-12);
        assertEquals(List.of(EmbeddingGradients.TABLE), List.copyOf(e.byTable().keySet()));
        EmbeddingGradients decoupled = EmbeddingGradients.of(new TowerGradients("fm", "dnn", 2, 1, t.dot(), t.firstNormSq(),
                t.secondNormSq(), false));
        assertArrayEquals(e.fmPath(), decoupled.byTable().get(EmbeddingGradients.FM_TABLE));
        assertArrayEquals(e.dnnPath(), decoupled.byTable().get(EmbeddingGradients.TABLE));
    }

    @Test
    void categoryConflictGroupsTheBatchByValue() {
        CategoryConflicts c = new CategoryConflicts("item", 1);
        List<ClickEvent> batch = List.of(event("a", null), event("b", null), event("a", null),
                event(null, List.of("a", "c")));
        c.count(batch);
        // Column 1 ("item"), per example (dot, |g_fm|^2, |g_dnn|^2); column 0 is noise that must be ignored.
        float[][] item = {{-1, 1, 1}, {2, 1, 4}, {3, 1, 9}, {0, 1, 0}};
        c.add(batch, towers(item));
        // Second step: "a" alone, aligned.
        List<ClickEvent> second = List.of(event("a", null));
        c.count(second);
        c.add(second, towers(new float[][]{{1, 1, 1}}));

        List<CategoryConflict> top = c.top(20);
        assertEquals(List.of("a", "b", "c"), top.stream().map(CategoryConflict::value).toList());
        CategoryConflict a = top.get(0);
        assertEquals(4, a.events());
        // Step 1 for "a": examples 0, 2, 3 -> dot 2, fm 3, dnn 10 -> cosine 2/sqrt(30) > 0; step 2: cosine 1.
        assertEquals(2, a.steps());
        assertEquals(0.0, a.conflictingShare(), 0);
        assertEquals((2 / Math.sqrt(30) + 1) / 2, a.meanCosine(), 1e-6);
        CategoryConflict b = top.get(1);
        assertEquals(1, b.steps());
        assertEquals(0.0, b.conflictingShare(), 0);
        assertEquals(1.0, b.meanCosine(), 1e-6, "b: dot 2 / (|1| |2|)");
        CategoryConflict cc = top.get(2);
        assertEquals(1, cc.events());
        assertEquals(0, cc.steps(), "c only had an example without DNN gradient: no measurement");
        assertTrue(Double.isNaN(cc.conflictingShare()));
        assertEquals(List.of("a"), c.top(1).stream().map(CategoryConflict::value).toList());
        assertEquals(List.of(CategoryConflicts.MISSING), CategoryConflicts.valuesOf(event(null, null), "item"));
    }

    @Test
    void categoryConflictCountsAConflictingValue() {
        CategoryConflicts c = new CategoryConflicts("item", 1);
        List<ClickEvent> batch = List.of(event("x", null), event("x", null));
        c.count(batch);
        c.add(batch, towers(new float[][]{{-3, 1, 9}, {1, 1, 1}}));   // dot -2 over both -> conflict
        CategoryConflict x = c.top(1).get(0);
        assertEquals(1.0, x.conflictingShare(), 0);
        assertEquals(-2 / Math.sqrt(2 * 10), x.meanCosine(), 1e-6);
        assertThrows(IllegalArgumentException.class, () -> c.add(batch, towers(new float[][]{{1, 1, 1}})));
    }

    @Test
    void htmlEscapesWhatComesFromTheData() {
        assertEquals("a&lt;b&gt;&amp;&quot;c&#39;", ReportHtml.esc("a<b>&\"c'"));
        assertEquals("–", ReportHtml.num(Double.NaN));
        assertEquals("0.1235", ReportHtml.num(0.123456));
    }

    private static GradientConflict conflict(double cosine) {
        return new GradientConflict(cosine, 1, 1);
    }

    /** Two fields; the given figures go to column 1, column 0 gets figures that would flip every result. */
    private static TowerGradients towers(float[][] item) {
        int n = item.length;
        float[] dot = new float[2 * n];
        float[] fm = new float[2 * n];
        float[] dnn = new float[2 * n];
        for (int b = 0; b < n; b++) {
            dot[2 * b] = -100;
            fm[2 * b] = 1;
            dnn[2 * b] = 1e4f;
            dot[2 * b + 1] = item[b][0];
            fm[2 * b + 1] = item[b][1];
            dnn[2 * b + 1] = item[b][2];
        }
        return new TowerGradients("fm", "dnn", n, 2, dot, fm, dnn, true);
    }

    private static ClickEvent event(String item, List<String> multi) {
        return ClickEvent.newBuilder().setEventId("e").setEventTime(Instant.EPOCH)
                .setCategorical(item == null ? Map.of() : Map.of("item", item))
                .setMulti(multi == null ? Map.of() : Map.of("item", multi)).build();
    }
}
