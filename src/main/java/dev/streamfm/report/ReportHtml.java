package dev.streamfm.report;

import dev.streamfm.analysis.ConflictSummary;
import dev.streamfm.analysis.LayerSummary;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** report.html: the headline figures as tables, then every chart; one self-contained page next to its images. */
final class ReportHtml {

    private static final int RANKING_HEAD = 5;

    private final StringBuilder html = new StringBuilder();

    private ReportHtml() {
    }

    static void write(ReportSummary s, List<ChartFile> charts, Path file) throws IOException {
        Files.writeString(file, new ReportHtml().render(s, charts), StandardCharsets.UTF_8);
    }

    private String render(ReportSummary s, List<ChartFile> charts) {
        RunInfo run = s.run();
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>StreamFM analysis: ")
                .append(esc(run.model())).append(", ").append(esc(run.input())).append("</title>\n<style>")
                .append("body{font-family:sans-serif;max-width:1040px;margin:2em auto;color:#222}")
                .append("table{border-collapse:collapse;margin:0.5em 0 1.5em}")
                .append("td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}")
                .append("td:first-child,th:first-child{text-align:left}th{background:#f3f3f3}")
                .append("img{max-width:100%;border:1px solid #eee}.chart{margin:1.5em 0}")
                .append(".chart p{margin:0.2em 0;color:#555}")
                .append(".note{background:#fff6e0;border-left:4px solid #e0a000;padding:6px 10px}")
                .append("</style></head><body>\n");
        html.append("<h1>StreamFM gradient analysis</h1>\n");
        for (String note : s.notes()) {
            html.append("<p class=\"note\">").append(esc(note)).append("</p>\n");
        }
        headline(s);
        fieldTable(s);
        layerTable(s);
        html.append("<h2>Charts</h2>\n");
        for (ChartFile c : charts) {
            html.append("<div class=\"chart\" id=\"").append(esc(c.id())).append("\"><img src=\"")
                    .append(esc(c.png())).append("\" alt=\"").append(esc(c.title())).append("\"><p>")
                    .append(esc(c.title())).append(" (<a href=\"").append(esc(c.svg()))
                    .append("\">SVG</a>)</p></div>\n");
        }
        html.append("<p>Figures: <a href=\"").append(AnalysisReport.SUMMARY).append("\">")
                .append(AnalysisReport.SUMMARY).append("</a>; raw per-step records: <a href=\"")
                .append(AnalysisReport.STEPS).append("\">").append(AnalysisReport.STEPS).append("</a>.</p>\n")
                .append("</body></html>\n");
        return html.toString();
    }

    private void headline(ReportSummary s) {
        RunInfo run = s.run();
        html.append("<h2>Headline figures</h2>\n<table>\n");
        row("input", run.input());
        row("model", run.model());
        row("examples / training steps", run.examples() + " / " + run.steps());
        row("analysed steps", s.analysedSteps() + " (every " + run.every() + " steps, batch " + run.batchSize() + ")");
        row("online AUC / log loss, whole pass", num(run.auc()) + " / " + num(run.logloss()));
        row("online AUC / log loss, last window", num(s.finalWindowAuc()) + " / " + num(s.finalWindowLogloss()));
        if (Double.isFinite(run.bayesAuc())) {
            row("Bayes-optimal AUC / log loss (planted teacher)",
                    num(run.bayesAuc()) + " / " + num(run.bayesLogloss()));
        }
        Optional<ConflictSummary> all = s.conflict().flatMap(TowerConflict::all);
        if (all.isPresent()) {
            ConflictSummary c = all.get();
            row("conflicting share (all fields)", num(c.conflictingShare()));
            row("mean cosine (all fields)", num(c.meanCosine()));
            row("median dominance |G_dnn|/|G_fm|", num(c.medianDominance()));
            row("magnitude similarity Phi", num(c.meanMagnitudeSimilarity()));
        } else {
            row("FM-vs-DNN conflict", "not measured (see the note above)");
        }
        s.importanceByKind().forEach((kind, v) -> row("importance, " + kind.label() + " layers", num(v)));
        List<String> ranking = s.fieldRanking();
        row("most important fields", String.join(", ", ranking.subList(0, Math.min(RANKING_HEAD, ranking.size()))));
        row("pass time", String.format(Locale.ROOT, "%.1f s", run.seconds()));
        html.append("</table>\n");
    }

    private void fieldTable(ReportSummary s) {
        Map<String, Map<String, Double>> tables = s.embeddingGradients();
        html.append("<h2>Per field</h2>\n<table>\n<tr><th>field</th><th>rank</th><th>importance</th>")
                .append("<th>conflicting share</th><th>mean cosine</th><th>median dominance</th><th>Phi</th>");
        tables.keySet().forEach(t -> html.append("<th>|g| ").append(esc(t)).append("</th>"));
        html.append("</tr>\n");
        for (String field : s.fields()) {
            Optional<ConflictSummary> c = s.conflict().map(t -> t.byField().get(field));
            html.append("<tr><td>").append(esc(field)).append("</td><td>")
                    .append(s.fieldRanking().indexOf(field) + 1).append("</td>");
            cell(s.fieldImportance().getOrDefault(field, Double.NaN));
            cell(c.map(ConflictSummary::conflictingShare).orElse(Double.NaN));
            cell(c.map(ConflictSummary::meanCosine).orElse(Double.NaN));
            cell(c.map(ConflictSummary::medianDominance).orElse(Double.NaN));
            cell(c.map(ConflictSummary::meanMagnitudeSimilarity).orElse(Double.NaN));
            tables.values().forEach(byField -> cell(byField.getOrDefault(field, Double.NaN)));
            html.append("</tr>\n");
        }
        html.append("</table>\n");
    }

    private void layerTable(ReportSummary s) {
        html.append("<h2>Per layer</h2>\n<table>\n<tr><th>layer</th><th>kind</th><th>importance</th>")
                .append("<th>grad norm</th><th>param norm</th><th>update ratio</th></tr>\n");
        for (LayerSummary l : s.layers()) {
            html.append("<tr><td>").append(esc(l.layer())).append("</td><td>").append(l.kind().label())
                    .append("</td>");
            cell(l.importance());
            cell(l.gradNorm());
            cell(l.paramNorm());
            cell(l.updateRatio());
            html.append("</tr>\n");
        }
        html.append("</table>\n");
    }

    private void row(String name, String value) {
        html.append("<tr><td>").append(esc(name)).append("</td><td>").append(esc(value)).append("</td></tr>\n");
    }

    private void cell(double v) {
        html.append("<td>").append(num(v)).append("</td>");
    }

    static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4g", v) : "–";
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(ch);
            }
        }
        return b.toString();
    }
}
