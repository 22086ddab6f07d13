package dev.streamfm.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the offline analysis report of one pass into a directory: the charts (PNG and SVG),
 * report.html, summary.json and the raw per-step records steps.jsonl they all derive from.
 */
public final class AnalysisReport {

    public static final String HTML = "report.html";
    public static final String SUMMARY = "summary.json";
    public static final String STEPS = "steps.jsonl";

    private AnalysisReport() {
    }

    /** @return the summary that was written */
    public static ReportSummary write(RunInfo run, AnalysisRecorder recorder, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<StepRecord> records = recorder.records();
        ReportSummary summary = ReportSummary.of(run, records, recorder.categories());
        List<ChartFile> charts = new ArrayList<>();
        for (NamedChart chart : ReportCharts.of(summary, records)) {
            charts.add(ChartWriter.write(chart, dir));
        }
        StepRecordsJson.write(records, dir.resolve(STEPS));
        SummaryJson.write(summary, charts, dir.resolve(SUMMARY));
        ReportHtml.write(summary, charts, dir.resolve(HTML));
        return summary;
    }
}
