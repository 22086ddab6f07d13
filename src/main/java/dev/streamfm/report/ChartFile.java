package dev.streamfm.report;

/** A chart written into the report directory, as PNG and SVG (file names relative to the directory). */
public record ChartFile(String id, String title, String png, String svg) {
}
