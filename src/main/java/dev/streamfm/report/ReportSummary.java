package dev.streamfm.report;

import dev.streamfm.analysis.AnalysedStep;
import dev.streamfm.analysis.AnalysisSnapshot;
import dev.streamfm.analysis.GradientConflict;
import dev.streamfm.analysis.LayerSummary;
import dev.streamfm.model.LayerKind;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The headline figures of a pass, derived from its step records with the same code as the live
 * metrics ({@link AnalysisSnapshot#of} over every analysed step instead of the last N), so that the
 * report and a dashboard watching the same stream agree.
 *
 * @param conflict           empty when the model has no FM and DNN towers (see {@link #notes})
 * @param importanceByKind   per layer kind, the mean over its variables of their mean importance
 * @param embeddingGradients per embedding table and field, the mean over analysed steps of the RMS
 *                           per-example gradient norm; empty without towers
 * @param fieldRanking       field names, most important first
 * @param finalWindowAuc     online AUC of the evaluator's rolling window at the last analysed step
 * @param notes              sentences a reader needs, e.g. why a figure is absent
 */
public record ReportSummary(RunInfo run, int analysedSteps, List<String> fields, Optional<TowerConflict> conflict,
                            List<LayerSummary> layers, Map<LayerKind, Double> importanceByKind,
                            Map<String, Map<String, Double>> embeddingGradients, Map<String, Double> fieldImportance,
                            List<String> fieldRanking, double finalWindowAuc, double finalWindowLogloss,
                            Optional<CategoryFigures> categories, List<String> notes) {

    /** How many of a field's most frequent values the per-category figure lists. */
    public static final int TOP_CATEGORIES = 20;

    /** @param values the most frequent values of the field, most frequent first */
    public record CategoryFigures(String field, List<CategoryConflict> values) {
    }

    public static ReportSummary of(RunInfo run, List<StepRecord> records, Optional<CategoryConflicts> categories) {
        List<AnalysedStep> steps = records.stream().map(StepRecord::analysed).toList();
        AnalysisSnapshot all = AnalysisSnapshot.of(steps);
        List<String> notes = new ArrayList<>();
        Optional<TowerConflict> conflict = towerConflict(records, all, run.model(), notes);
        StepRecord last = records.isEmpty() ? null : records.get(records.size() - 1);
        return new ReportSummary(run, records.size(), all.fields(), conflict, all.layers(),
                importanceByKind(all.layers()), embeddingGradients(records, all.fields()), all.fieldImportance(),
                all.fieldRanking(), last == null ? Double.NaN : last.auc(), last == null ? Double.NaN : last.logloss(),
                categories.map(c -> new CategoryFigures(c.field(), c.top(TOP_CATEGORIES))), notes);
    }

    private static Optional<TowerConflict> towerConflict(List<StepRecord> records, AnalysisSnapshot all, String model,
                                                         List<String> notes) {
        Optional<EmbeddingGradients> towers = records.stream().flatMap(r -> r.embedding().stream()).findFirst();
        if (towers.isEmpty()) {
            if (!records.isEmpty()) {
                notes.add("No FM-vs-DNN gradient conflict: model " + model + " has no DNN tower reading the "
                        + "embeddings, so no gradient reaches them along a DNN path and cosine and dominance are "
                        + "undefined.");
            }
            return Optional.empty();
        }
        List<GradientConflict> measured = new ArrayList<>();
        for (StepRecord r : records) {
            r.analysed().conflict().ifPresent(c -> measured.addAll(c.byField().values()));
        }
        boolean shared = towers.get().shared();
        if (!shared) {
            notes.add("Decoupled embeddings: the FM and the DNN update separate tables ("
                    + EmbeddingGradients.FM_TABLE + ", " + EmbeddingGradients.TABLE + "), reported apart; a "
                    + "negative cosine says how their updates would pull against each other on a shared table.");
        }
        if (measured.isEmpty()) {
            notes.add("No analysed step measured a conflict: the DNN or the FM path sent no gradient to any "
                    + "field's embedding (a dead DNN tower?).");
        }
        return Optional.of(new TowerConflict(shared, all.conflictAll(), all.conflictByField(),
                CosineHistogram.of(measured)));
    }

    private static Map<LayerKind, Double> importanceByKind(List<LayerSummary> layers) {
        Map<LayerKind, double[]> sums = new EnumMap<>(LayerKind.class);
        for (LayerSummary l : layers) {
            double[] s = sums.computeIfAbsent(l.kind(), k -> new double[2]);
            s[0] += l.importance();
            s[1]++;
        }
        Map<LayerKind, Double> means = new EnumMap<>(LayerKind.class);
        sums.forEach((kind, s) -> means.put(kind, s[0] / s[1]));
        return Collections.unmodifiableMap(means);
    }

    private static Map<String, Map<String, Double>> embeddingGradients(List<StepRecord> records, List<String> fields) {
        Map<String, double[]> sums = new LinkedHashMap<>();
        int n = 0;
        for (StepRecord r : records) {
            if (r.embedding().isEmpty()) {
                continue;
            }
            n++;
            r.embedding().get().byTable().forEach((table, norms) -> {
                double[] s = sums.computeIfAbsent(table, k -> new double[norms.length]);
                for (int f = 0; f < norms.length; f++) {
                    s[f] += norms[f];
                }
            });
        }
        Map<String, Map<String, Double>> means = new LinkedHashMap<>();
        int steps = n;
        sums.forEach((table, s) -> {
            Map<String, Double> byField = new LinkedHashMap<>();
            for (int f = 0; f < s.length; f++) {
                byField.put(fields.get(f), s[f] / steps);
            }
            means.put(table, Collections.unmodifiableMap(byField));
        });
        return Collections.unmodifiableMap(means);
    }
}
