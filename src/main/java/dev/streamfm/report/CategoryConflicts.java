package dev.streamfm.report;

import dev.streamfm.analysis.GradientConflict;
import dev.streamfm.analysis.TowerGradients;
import dev.streamfm.schema.ClickEvent;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The per-category conflict of one field (DARE's per-category figure): the examples of an analysed
 * batch are grouped by their value of the field, the FM-vs-DNN figures of that field's column are
 * summed per value, and each value's cosine at that step counts as one measurement for the value.
 * Conflicts derive with {@link GradientConflict#of}, the same code as the per-field figures.
 *
 * <p>A multi-valued field's example counts for each of its values. Events that lack the field
 * count under {@link #MISSING}.
 */
public final class CategoryConflicts {

    public static final String MISSING = "(missing)";

    private final String field;
    private final int column;
    private final Map<String, Tally> byValue = new HashMap<>();

    /** @param column the field's index in the model's field order (the tower arrays' column) */
    public CategoryConflicts(String field, int column) {
        this.field = field;
        this.column = column;
    }

    public String field() {
        return field;
    }

    /** Counts the values of a trained batch, analysed or not. */
    public void count(List<ClickEvent> batch) {
        for (ClickEvent e : batch) {
            for (String v : valuesOf(e, field)) {
                tally(v).events++;
            }
        }
    }

    /** Adds one analysed step: the batch's events in the order the model saw them, and its tower gradients. */
    public void add(List<ClickEvent> batch, TowerGradients towers) {
        if (batch.size() != towers.batchSize()) {
            throw new IllegalArgumentException(batch.size() + " events for tower gradients of batch size "
                    + towers.batchSize());
        }
        Map<String, double[]> sums = new HashMap<>();
        for (int b = 0; b < batch.size(); b++) {
            int i = b * towers.fields() + column;
            for (String v : valuesOf(batch.get(b), field)) {
                double[] s = sums.computeIfAbsent(v, k -> new double[3]);
                s[0] += towers.dot()[i];
                s[1] += towers.firstNormSq()[i];
                s[2] += towers.secondNormSq()[i];
            }
        }
        sums.forEach((value, s) -> {
            Optional<GradientConflict> c = GradientConflict.of(s[0], s[1], s[2]);
            if (c.isPresent()) {
                Tally t = tally(value);
                t.steps++;
                t.conflicting += c.get().conflicting() ? 1 : 0;
                t.cosineSum += c.get().cosine();
            }
        });
    }

    /** The {@code n} most frequent values, most frequent first (ties by value, so the order is stable). */
    public List<CategoryConflict> top(int n) {
        List<Map.Entry<String, Tally>> entries = new ArrayList<>(byValue.entrySet());
        entries.sort(Comparator.comparingLong((Map.Entry<String, Tally> e) -> e.getValue().events).reversed()
                .thenComparing(Map.Entry::getKey));
        List<CategoryConflict> out = new ArrayList<>();
        for (Map.Entry<String, Tally> e : entries.subList(0, Math.min(n, entries.size()))) {
            Tally t = e.getValue();
            out.add(new CategoryConflict(e.getKey(), t.events, t.steps,
                    t.steps == 0 ? Double.NaN : (double) t.conflicting / t.steps,
                    t.steps == 0 ? Double.NaN : t.cosineSum / t.steps));
        }
        return out;
    }

    /** The event's values of a categorical or multi-valued field. */
    static List<String> valuesOf(ClickEvent e, String field) {
        String single = e.getCategorical() == null ? null : e.getCategorical().get(field);
        if (single != null) {
            return List.of(single);
        }
        List<String> multi = e.getMulti() == null ? null : e.getMulti().get(field);
        return multi == null || multi.isEmpty() ? List.of(MISSING) : multi;
    }

    private Tally tally(String value) {
        return byValue.computeIfAbsent(value, k -> new Tally());
    }

    private static final class Tally {
        long events;
        int steps;
        int conflicting;
        double cosineSum;
    }
}
