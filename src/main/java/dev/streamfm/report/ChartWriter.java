package dev.streamfm.report;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a chart as PNG (for the page) and SVG (for print and papers) under its id. */
final class ChartWriter {

    private ChartWriter() {
    }

    static ChartFile write(NamedChart chart, Path dir) throws IOException {
        String png = chart.id() + ".png";
        String svg = chart.id() + ".svg";
        try (OutputStream out = Files.newOutputStream(dir.resolve(png))) {
            BitmapEncoder.saveBitmap(chart.chart(), out, BitmapEncoder.BitmapFormat.PNG);
        }
        try (OutputStream out = Files.newOutputStream(dir.resolve(svg))) {
            VectorGraphicsEncoder.saveVectorGraphic(chart.chart(), out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        }
        return new ChartFile(chart.id(), chart.title(), png, svg);
    }
}
