package dev.streamfm.analysis;

import dev.streamfm.model.LayerKind;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Rolling figures over the last analysed steps of one model.
 *
 * @param steps           analysed steps in the window
 * @param lastStep        training step of the newest analysed step, -1 when the window is empty
 * @param fields          every field seen in the window, in the order the model reports them
 * @param conflictByField per field that measured a conflict at least once in the window
 * @param conflictAll     over all fields together; empty when no step measured it
 * @param layers          per variable, in the order the model reports them
 * @param fieldImportance mean field importance per field, in field order
 */
public record AnalysisSnapshot(int steps, long lastStep, List<String> fields,
                               Map<String, ConflictSummary> conflictByField, Optional<ConflictSummary> conflictAll,
                               List<LayerSummary> layers, Map<String, Double> fieldImportance) {

    public static final AnalysisSnapshot EMPTY = of(List.of());

    public AnalysisSnapshot {
        fields = List.copyOf(fields);
        conflictByField = Collections.unmodifiableMap(new LinkedHashMap<>(conflictByField));
        layers = List.copyOf(layers);
        fieldImportance = Collections.unmodifiableMap(new LinkedHashMap<>(fieldImportance));
    }

    /** The figures of a window of steps, oldest first. */
    public static AnalysisSnapshot of(List<AnalysedStep> window) {
        Set<String> fields = new LinkedHashSet<>();
        Map<String, List<GradientConflict>> conflicts = new LinkedHashMap<>();
        List<GradientConflict> conflictsAll = new ArrayList<>();
        Map<String, Mean> importance = new LinkedHashMap<>();
        Map<String, LayerMeans> layers = new LinkedHashMap<>();
        for (AnalysedStep s : window) {
            StepAnalysis a = s.analysis();
            fields.addAll(a.fields());
            for (int f = 0; f < a.fields().size(); f++) {
                importance.computeIfAbsent(a.fields().get(f), k -> new Mean()).add(a.fieldImportance()[f]);
            }
            s.conflict().ifPresent(c -> {
                c.byField().forEach((field, g) -> conflicts.computeIfAbsent(field, k -> new ArrayList<>()).add(g));
                c.all().ifPresent(conflictsAll::add);
            });
            for (LayerStat l : a.layers()) {
                layers.computeIfAbsent(l.layer(), k -> new LayerMeans()).add(l);
            }
        }
        Map<String, ConflictSummary> conflictByField = new LinkedHashMap<>();
        for (String field : fields) {
            ConflictSummary.of(conflicts.getOrDefault(field, List.of())).ifPresent(c -> conflictByField.put(field, c));
        }
        Map<String, Double> meanImportance = new LinkedHashMap<>();
        importance.forEach((field, m) -> meanImportance.put(field, m.value()));
        List<LayerSummary> layerSummaries = new ArrayList<>();
        layers.forEach((layer, m) -> layerSummaries.add(m.summary(layer)));
        long lastStep = window.isEmpty() ? -1 : window.get(window.size() - 1).step();
        return new AnalysisSnapshot(window.size(), lastStep, new ArrayList<>(fields), conflictByField,
                ConflictSummary.of(conflictsAll), layerSummaries, meanImportance);
    }

    /** Field names, most important first: the live feature ranking. */
    public List<String> fieldRanking() {
        List<String> ranked = new ArrayList<>(fieldImportance.keySet());
        ranked.sort(Comparator.comparingDouble((String f) -> fieldImportance.get(f)).reversed());
        return ranked;
    }

    private static final class Mean {
        private double sum;
        private int n;

        void add(double v) {
            sum += v;
            n++;
        }

        double value() {
            return sum / n;
        }
    }

    private static final class LayerMeans {
        private final Mean importance = new Mean();
        private final Mean gradNorm = new Mean();
        private final Mean paramNorm = new Mean();
        private final Mean updateRatio = new Mean();
        private LayerKind kind;

        void add(LayerStat l) {
            kind = l.kind();
            importance.add(l.importance());
            gradNorm.add(l.gradNorm());
            paramNorm.add(l.paramNorm());
            updateRatio.add(l.updateRatio());
        }

        LayerSummary summary(String layer) {
            return new LayerSummary(layer, kind, importance.n, importance.value(), gradNorm.value(),
                    paramNorm.value(), updateRatio.value());
        }
    }
}
