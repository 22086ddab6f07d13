package dev.streamfm.report;

import dev.streamfm.analysis.ConflictSummary;
import dev.streamfm.analysis.GradientConflict;
import dev.streamfm.analysis.LayerStat;
import dev.streamfm.analysis.LayerSummary;
import dev.streamfm.analysis.StepConflict;
import dev.streamfm.model.LayerKind;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.Styler;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

/**
 * The report's charts, each drawn from the same summary and step records as summary.json. A chart
 * whose figure the model does not have (conflict without a DNN tower, say) is left out; the
 * summary's notes say why.
 */
final class ReportCharts {

    private static final String EXAMPLES = "examples trained";
    private static final int MAX_LABEL = 28;

    private final ReportSummary summary;
    private final List<StepRecord> records;
    private final double[] examples;
    private final int window;

    private ReportCharts(ReportSummary summary, List<StepRecord> records) {
        this.summary = summary;
        this.records = records;
        this.examples = records.stream().mapToDouble(StepRecord::examples).toArray();
        this.window = Rolling.window(records.size());
    }

    static List<NamedChart> of(ReportSummary summary, List<StepRecord> records) {
        return new ReportCharts(summary, records).all();
    }

    private List<NamedChart> all() {
        List<NamedChart> charts = new ArrayList<>();
        summary.conflict().ifPresent(c -> {
            if (c.histogram().total() > 0) {
                charts.add(cosineHistogram(c.histogram()));
            }
            if (!c.byField().isEmpty()) {
                charts.add(conflictShare(c.byField()));
                charts.add(dominanceOverTime());
            }
        });
        summary.categories().ifPresent(c -> charts.add(categoryConflict(c)));
        if (!summary.importanceByKind().isEmpty()) {
            charts.add(importanceByKind());
            charts.add(layerOverTime("layer-importance-over-time", "Parameter importance mean |g * theta| per layer",
                    "importance", l -> true, LayerStat::importance));
        }
        if (summary.layers().stream().anyMatch(ReportCharts::isDnn)) {
            charts.add(layerOverTime("grad-norm-dnn-layers", "Gradient norm per DNN layer", "|g|",
                    l -> l.kind() == LayerKind.DNN || l.kind() == LayerKind.OUTPUT, LayerStat::gradNorm));
        }
        for (String table : summary.embeddingGradients().keySet()) {
            charts.add(fieldGradients(table));
        }
        if (!summary.fieldRanking().isEmpty()) {
            charts.add(fieldRanking());
        }
        LineChart online = new LineChart("Online AUC and log loss (evaluator's rolling window)", EXAMPLES, "AUC")
                .rightAxis("log loss")
                .add("AUC", examples, series(StepRecord::auc))
                .add("log loss", examples, series(StepRecord::logloss), 1);
        if (!online.isEmpty()) {
            charts.add(named("online-auc-logloss", online));
        }
        return charts;
    }

    private NamedChart cosineHistogram(CosineHistogram h) {
        String title = "FM-vs-DNN gradient cosine, all fields and analysed steps";
        CategoryChart chart = new CategoryChartBuilder().width(ChartStyle.WIDTH).height(ChartStyle.HEIGHT).title(title)
                .xAxisTitle("cosine (bins of 0.1)").yAxisTitle("field-steps").build();
        ChartStyle.apply(chart);
        chart.getStyler().setOverlapped(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setXAxisLabelRotation(45);
        List<String> bins = new ArrayList<>();
        List<Long> conflicting = new ArrayList<>();
        List<Long> aligned = new ArrayList<>();
        for (int i = 0; i < CosineHistogram.BINS; i++) {
            bins.add(String.format(Locale.ROOT, "%.1f..%.1f", CosineHistogram.lower(i), CosineHistogram.lower(i + 1)));
            boolean below = CosineHistogram.lower(i) < 0;
            conflicting.add(below ? h.counts()[i] : 0);
            aligned.add(below ? 0 : h.counts()[i]);
        }
        chart.addSeries("conflicting (cosine < 0)", bins, conflicting).setFillColor(ChartStyle.CONFLICT);
        chart.addSeries("aligned", bins, aligned).setFillColor(ChartStyle.ALIGNED);
        return new NamedChart("cosine-histogram", title, chart);
    }

    private NamedChart conflictShare(Map<String, ConflictSummary> byField) {
        String title = "Share of analysed steps in which the FM and DNN gradients conflict, per field";
        List<String> fields = new ArrayList<>(byField.keySet());
        double[] share = fields.stream().mapToDouble(f -> byField.get(f).conflictingShare()).toArray();
        return new NamedChart("conflict-share-by-field", title,
                HorizontalBars.chart(title, "conflicting share (cosine < 0)", fields, share, ChartStyle.CONFLICT));
    }

    private NamedChart dominanceOverTime() {
        LineChart chart = new LineChart(smoothed("Dominance |G_dnn| / |G_fm| per field", "median"), EXAMPLES,
                "|G_dnn| / |G_fm|");
        chart.add("all fields", examples, Rolling.median(series(r -> conflict(r).flatMap(StepConflict::all)
                .map(GradientConflict::dominance).orElse(Double.NaN)), window));
        for (String field : summary.fields()) {
            chart.add(field, examples, Rolling.median(series(r -> conflict(r)
                    .map(c -> c.byField().get(field)).map(GradientConflict::dominance).orElse(Double.NaN)), window));
        }
        return named("dominance-over-time", chart);
    }

    private NamedChart categoryConflict(ReportSummary.CategoryFigures c) {
        String title = "Conflicting share per value of " + c.field() + " (the " + c.values().size()
                + " most frequent)";
        List<String> labels = c.values().stream()
                .map(v -> shorten(v.value()) + " (" + v.events() + ")").toList();
        double[] share = c.values().stream().mapToDouble(CategoryConflict::conflictingShare).toArray();
        return new NamedChart("category-conflict", title,
                HorizontalBars.chart(title, "conflicting share of the analysed steps that carried the value",
                        labels, share, ChartStyle.CONFLICT));
    }

    private NamedChart importanceByKind() {
        String title = "Parameter importance mean |g * theta| by layer kind";
        CategoryChart chart = new CategoryChartBuilder().width(ChartStyle.WIDTH).height(ChartStyle.HEIGHT).title(title)
                .xAxisTitle("kind").yAxisTitle("mean importance of the kind's variables").build();
        ChartStyle.apply(chart);
        chart.getStyler().setLegendVisible(false);
        List<String> kinds = summary.importanceByKind().keySet().stream().map(LayerKind::label).toList();
        List<Double> values = new ArrayList<>(summary.importanceByKind().values());
        chart.getStyler().setYAxisDecimalPattern(ChartStyle.decimalPattern(
                ChartStyle.maxAbs(values.stream().mapToDouble(Double::doubleValue).toArray())));
        chart.addSeries("importance", kinds, values).setFillColor(ChartStyle.ALIGNED);
        return new NamedChart("layer-importance-by-kind", title, chart);
    }

    private NamedChart layerOverTime(String id, String title, String yTitle,
                                     Predicate<LayerSummary> which,
                                     ToDoubleFunction<LayerStat> figure) {
        LineChart chart = new LineChart(smoothed(title, "mean"), EXAMPLES, yTitle);
        for (LayerSummary layer : summary.layers()) {
            if (which.test(layer)) {
                chart.add(layer.layer(), examples, Rolling.mean(series(r -> r.analysed().analysis().layers().stream()
                        .filter(l -> l.layer().equals(layer.layer())).mapToDouble(figure).findFirst()
                        .orElse(Double.NaN)), window));
            }
        }
        return named(id, chart);
    }

    private NamedChart fieldGradients(String table) {
        LineChart chart = new LineChart(smoothed("Gradient norm per field of table " + table
                + " (RMS per example)", "mean"), EXAMPLES, "|g|");
        List<String> fields = summary.fields();
        for (int f = 0; f < fields.size(); f++) {
            int field = f;
            chart.add(fields.get(f), examples, Rolling.mean(series(r -> r.embedding()
                    .map(e -> e.byTable().get(table)).map(norms -> norms[field]).orElse(Double.NaN)), window));
        }
        return named("grad-norm-fields-" + table.replace('_', '-'), chart);
    }

    private NamedChart fieldRanking() {
        String title = "Field importance mean |g_e * e| (feature ranking)";
        List<String> ranked = summary.fieldRanking();
        double[] values = ranked.stream().mapToDouble(f -> summary.fieldImportance().get(f)).toArray();
        return new NamedChart("field-importance", title,
                HorizontalBars.chart(title, "importance", ranked, values, ChartStyle.ALIGNED));
    }

    private String smoothed(String title, String how) {
        return window == 1 ? title : title + " (rolling " + how + " of " + window + " analysed steps)";
    }

    private double[] series(ToDoubleFunction<StepRecord> figure) {
        return records.stream().mapToDouble(figure).toArray();
    }

    private static Optional<StepConflict> conflict(StepRecord r) {
        return r.analysed().conflict();
    }

    private static NamedChart named(String id, LineChart chart) {
        XYChart built = chart.build();
        return new NamedChart(id, built.getTitle(), built);
    }

    private static boolean isDnn(LayerSummary l) {
        return l.kind() == LayerKind.DNN;
    }

    private static String shorten(String s) {
        return s.length() <= MAX_LABEL ? s : s.substring(0, MAX_LABEL - 1) + "…";
    }
}
