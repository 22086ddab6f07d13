package dev.streamfm.evaluation;

import dev.streamfm.features.FieldBuckets;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The figures of one evaluation run, as the eval command prints them.
 *
 * @param model       model variant label
 * @param source      what was evaluated (a shape and seed, or a file)
 * @param overall     progressive-validation metrics over every example
 * @param windowSize  size of the trailing window, 0 for none
 * @param window      metrics over the last windowSize examples
 * @param bayes       Bayes-optimal reference over every example (synthetic streams only)
 * @param bayesWindow Bayes-optimal reference over the window
 * @param holdout     metrics of the frozen model on the holdout set
 * @param bayesHoldout Bayes-optimal reference over the holdout set
 * @param rejected    events the feature pipeline refused (training and holdout)
 * @param badLines    log lines that could not be read (training and holdout)
 * @param seconds     wall-clock time of the training pass
 * @param buckets     ids, buckets and expected collisions of an inferred spec's categorical fields (else empty)
 * @param parameters  the model's parameter count (optimizer slots not counted)
 */
public record EvalSummary(String model, String source, Metrics overall, int windowSize, Optional<Metrics> window,
                          Optional<Metrics> bayes, Optional<Metrics> bayesWindow, Optional<Metrics> holdout,
                          Optional<Metrics> bayesHoldout, long rejected, long badLines, double seconds,
                          List<FieldBuckets> buckets, long parameters) {

    public EvalSummary {
        buckets = List.copyOf(buckets);
    }

    public double examplesPerSecond() {
        return seconds > 0 ? overall.examples() / seconds : Double.NaN;
    }

    /**
     * The JSON object's fields in a fixed order; a figure that is unknown or undefined (NaN, which
     * JSON cannot carry) is left out rather than written as null.
     */
    public Map<String, Object> jsonFields() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", model);
        m.put("source", source);
        m.put("examples", overall.examples());
        put(m, "auc", overall.auc());
        put(m, "logloss", overall.logloss());
        put(m, "calibration", overall.calibration());
        if (windowSize > 0) {
            m.put("window", windowSize);
        }
        window.ifPresent(w -> {
            put(m, "window_auc", w.auc());
            put(m, "window_logloss", w.logloss());
        });
        bayes.ifPresent(b -> {
            put(m, "bayes_auc", b.auc());
            put(m, "bayes_logloss", b.logloss());
        });
        bayesWindow.ifPresent(b -> {
            put(m, "bayes_window_auc", b.auc());
            put(m, "bayes_window_logloss", b.logloss());
        });
        holdout.ifPresent(h -> {
            m.put("holdout_examples", h.examples());
            put(m, "holdout_auc", h.auc());
            put(m, "holdout_logloss", h.logloss());
        });
        bayesHoldout.ifPresent(b -> {
            put(m, "bayes_holdout_auc", b.auc());
            put(m, "bayes_holdout_logloss", b.logloss());
        });
        m.put("rejected", rejected);
        m.put("bad_lines", badLines);
        put(m, "seconds", seconds);
        put(m, "examples_per_second", examplesPerSecond());
        m.put("parameters", parameters);
        if (!buckets.isEmpty()) {
            m.put("fields", buckets.stream().map(EvalSummary::bucketFields).toList());
        }
        return m;
    }

    private static Map<String, Object> bucketFields(FieldBuckets b) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("field", b.field());
        f.put("ids", b.ids());
        f.put("ids_capped", b.idsCapped());
        f.put("buckets", b.buckets());
        f.put("expected_collision_share", b.expectedCollisionShare());
        return f;
    }

    private static void put(Map<String, Object> m, String key, double value) {
        if (Double.isFinite(value)) {
            m.put(key, value);
        }
    }
}
