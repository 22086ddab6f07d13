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
 * @param conflicts       by tower pair, in the model's pair order
 * @param layers          per variable, in the order the model reports them
 * @param fieldImportance mean field importance per field, in field order
 */
public record AnalysisSnapshot(int steps, long lastStep, List<String> fields,
                               Map<String, PairConflict> conflicts, List<LayerSummary> layers, Map<String, Double> fieldImportance) {

    public static final AnalysisSnapshot EMPTY = of(List.of());

    public AnalysisSnapshot {
        fields = List.copyOf(fields);
        conflicts = Collections.unmodifiableMap(new LinkedHashMap<>(conflicts));
        layers = List.copyOf(layers);
        fieldImportance = Collections.unmodifiableMap(new LinkedHashMap<>(fieldImportance));
    }

    /** The figures of a window of steps, oldest first. */
    public static AnalysisSnapshot of(List<AnalysedStep> window) {
        Set<String> fields = new LinkedHashSet<>();
        Map<String, Map<String, List<GradientConflict>>> byPair = new LinkedHashMap<>();
        Map<String, List<GradientConflict>> allByPair = new LinkedHashMap<>();
        Map<String, Mean> importance = new LinkedHashMap<>();
        Map<String, LayerMeans> layers = new LinkedHashMap<>();
        for (AnalysedStep s : window) {
            StepAnalysis a = s.analysis();
            fields.addAll(a.fields());
            for (int f = 0; f < a.fields().size(); f++) {
                importance.computeIfAbsent(a.fields().get(f), k -> new Mean()).add(a.fieldImportance()[f]);
            }
            s.conflicts().forEach((pair, c) -> {
                Map<String, List<GradientConflict>> conflicts = byPair.computeIfAbsent(pair, k -> new LinkedHashMap<>());
                c.byField().forEach((field, g) -> conflicts.computeIfAbsent(field, k -> new ArrayList<>()).add(g));
                List<GradientConflict> all = allByPair.computeIfAbsent(pair, k -> new ArrayList<>());
                c.all().ifPresent(all::add);
            });
            for (LayerStat l : a.layers()) {
                layers.computeIfAbsent(l.layer(), k -> new LayerMeans()).add(l);
            }
        }
        Map<String, PairConflict> conflicts = new LinkedHashMap<>();
        byPair.forEach((pair, measured) -> {
            Map<String, ConflictSummary> byField = new LinkedHashMap<>();
            for (String field : fields) {
                ConflictSummary.of(measured.getOrDefault(field, List.of())).ifPresent(c -> byField.put(field, c));
            }
            conflicts.put(pair, new PairConflict(byField, ConflictSummary.of(allByPair.get(pair))));
        });
        Map<String, Double> meanImportance = new LinkedHashMap<>();
        importance.forEach((field, m) -> meanImportance.put(field, m.value()));
        List<LayerSummary> layerSummaries = new ArrayList<>();
        layers.forEach((layer, m) -> layerSummaries.add(m.summary(layer)));
        long lastStep = window.isEmpty() ? -1 : window.get(window.size() - 1).step();
        return new AnalysisSnapshot(window.size(), lastStep, new ArrayList<>(fields), conflicts, layerSummaries,
                meanImportance);
    }

    /** Per field, the conflict of the first pair (the one the offline report charts). */
    public Map<String, ConflictSummary> conflictByField() {
        return firstPair().byField();
    }

    /** Over all fields, the conflict of the first pair. */
    public Optional<ConflictSummary> conflictAll() {
        return firstPair().all();
    }

    private PairConflict firstPair() {
        return conflicts.values().stream().findFirst().orElse(PairConflict.NONE);
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
