package dev.streamfm.report;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.List;

/**
 * A horizontal bar chart, which XChart 3.8.8 lacks: each bar is a thick line from 0 to its value
 * at y = its row, and the y-axis labels name the rows. The first label is drawn on top.
 */
final class HorizontalBars {

    private static final int ROW_PIXELS = 22;
    private static final int FRAME_PIXELS = 130;

    private HorizontalBars() {
    }

    static XYChart chart(String title, String xTitle, List<String> labels, double[] values, Color color) {
        int n = labels.size();
        XYChart chart = new XYChartBuilder().width(ChartStyle.WIDTH).height(FRAME_PIXELS + ROW_PIXELS * (n + 1))
                .title(title).xAxisTitle(xTitle).build();
        ChartStyle.apply(chart);
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setPlotGridHorizontalLinesVisible(false);
        chart.getStyler().setYAxisMin(-1.0).setYAxisMax((double) n);
        double min = 0;
        for (double v : values) {
            min = Double.isFinite(v) ? Math.min(min, v) : min;
        }
        chart.getStyler().setXAxisMin(min);
        chart.getStyler().setXAxisDecimalPattern(ChartStyle.decimalPattern(ChartStyle.maxAbs(values)));
        BasicStroke bar = new BasicStroke(ROW_PIXELS * 0.65f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER);
        // Rows go in from the bottom (y = 0) up: XChart puts one tick on every y value only when the
        // axis' values, in insertion order, are equally spaced.
        for (int row = 0; row < n; row++) {
            int i = n - 1 - row;
            double v = Double.isFinite(values[i]) ? values[i] : 0;
            XYSeries s = chart.addSeries(labels.get(i) + " #" + i, new double[]{0, v}, new double[]{row, row});
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(color);
            s.setLineStyle(bar);
        }
        // The label function must give the two padding rows distinct texts: XChart drops every tick
        // when the axis' first and last labels are equal, and a label may not be empty.
        chart.getStyler().setyAxisTickLabelsFormattingFunction(y -> {
            long row = Math.round(y);
            if (Math.abs(y - row) > 1e-9 || row < 0 || row >= n) {
                return y < 0 ? " " : "  ";
            }
            return labels.get((int) (n - 1 - row));
        });
        return chart;
    }
}
