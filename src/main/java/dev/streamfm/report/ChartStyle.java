package dev.streamfm.report;

import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;

import java.awt.Color;

/** The look every report chart shares. */
final class ChartStyle {

    static final int WIDTH = 1000;
    static final int HEIGHT = 500;
    static final Color CONFLICT = new Color(200, 60, 50);
    static final Color ALIGNED = new Color(60, 100, 190);

    private ChartStyle() {
    }

    /** Tick labels that keep the leading zero and switch to scientific notation for small figures. */
    static String decimalPattern(double maxAbs) {
        if (maxAbs > 0 && maxAbs < 0.01) {
            return "0.0E0";
        }
        return maxAbs < 10 ? "0.###" : "#,##0.#";
    }

    static double maxAbs(double[] values) {
        double max = 0;
        for (double v : values) {
            if (Double.isFinite(v)) {
                max = Math.max(max, Math.abs(v));
            }
        }
        return max;
    }

    static void apply(Chart<?, ?> chart) {
        Styler s = chart.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setLegendBorderColor(Color.LIGHT_GRAY);
        s.setChartTitleBoxVisible(false);
        s.setAntiAlias(true);
    }
}
