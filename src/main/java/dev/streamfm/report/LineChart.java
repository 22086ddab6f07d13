package dev.streamfm.report;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects the lines of an over-time chart and builds it. Points whose value is missing (NaN) are
 * left out. The y axis turns logarithmic when every value is positive and they span more than two
 * decades, as gradient norms and dominance ratios often do.
 */
final class LineChart {

    private static final double LOG_SPAN = 100;
    /** Pixels per legend entry, so that a chart with many lines (39 criteo-like fields) shows them all. */
    private static final int LEGEND_ROW_PIXELS = 19;
    private static final int X_TICK_SPACING_PIXELS = 110;

    private record Line(String name, double[] x, double[] y, int axis) {
    }

    private final String title;
    private final String xTitle;
    private final String[] yTitles = new String[2];
    private final List<Line> lines = new ArrayList<>();

    LineChart(String title, String xTitle, String yTitle) {
        this.title = title;
        this.xTitle = xTitle;
        this.yTitles[0] = yTitle;
    }

    /** A second y axis, on the right, for lines added with axis 1. */
    LineChart rightAxis(String yTitle) {
        yTitles[1] = yTitle;
        return this;
    }

    LineChart add(String name, double[] x, double[] y) {
        return add(name, x, y, 0);
    }

    LineChart add(String name, double[] x, double[] y, int axis) {
        int n = 0;
        for (double v : y) {
            n += Double.isFinite(v) ? 1 : 0;
        }
        if (n == 0) {
            return this;
        }
        double[] px = new double[n];
        double[] py = new double[n];
        int k = 0;
        for (int i = 0; i < y.length; i++) {
            if (Double.isFinite(y[i])) {
                px[k] = x[i];
                py[k++] = y[i];
            }
        }
        lines.add(new Line(name, px, py, axis));
        return this;
    }

    boolean isEmpty() {
        return lines.isEmpty();
    }

    XYChart build() {
        int height = Math.max(ChartStyle.HEIGHT, 80 + LEGEND_ROW_PIXELS * lines.size());
        XYChart chart = new XYChartBuilder().width(ChartStyle.WIDTH).height(height).title(title)
                .xAxisTitle(xTitle).yAxisTitle(yTitles[0]).build();
        ChartStyle.apply(chart);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setXAxisDecimalPattern("#,###");
        chart.getStyler().setXAxisTickMarkSpacingHint(X_TICK_SPACING_PIXELS);
        for (Line l : lines) {
            XYSeries s = chart.addSeries(l.name(), l.x(), l.y());
            s.setMarker(SeriesMarkers.NONE);
            s.setYAxisGroup(l.axis());
        }
        if (yTitles[1] != null) {
            chart.setYAxisGroupTitle(1, yTitles[1]);
            chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
        } else if (spansDecades()) {
            chart.getStyler().setYAxisLogarithmic(true);
        } else {
            chart.getStyler().setYAxisDecimalPattern(ChartStyle.decimalPattern(maxAbs()));
        }
        return chart;
    }

    private double maxAbs() {
        double max = 0;
        for (Line l : lines) {
            max = Math.max(max, ChartStyle.maxAbs(l.y()));
        }
        return max;
    }

    private boolean spansDecades() {
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (Line l : lines) {
            for (double v : l.y()) {
                if (v <= 0) {
                    return false;
                }
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        return max / min > LOG_SPAN;
    }
}
