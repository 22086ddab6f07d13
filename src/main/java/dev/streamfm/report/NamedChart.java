package dev.streamfm.report;

import org.knowm.xchart.internal.chartpart.Chart;

/** A chart of the report with the file stem it is written under. */
record NamedChart(String id, String title, Chart<?, ?> chart) {
}
