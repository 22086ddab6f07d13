package dev.streamfm.metrics;

import dev.streamfm.analysis.AnalysedStep;
import dev.streamfm.analysis.AnalysisListener;
import dev.streamfm.analysis.AnalysisSnapshot;
import dev.streamfm.analysis.ConflictSummary;
import dev.streamfm.analysis.LayerSummary;
import dev.streamfm.model.QualityGate;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;

import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * Every StreamFM metric (README, Metrics). Names, types and labels are a public contract:
 * dashboards, alerts and users' scripts query them, so change them only with a migration note.
 * A figure that is undefined (an AUC over one class, a conflict without a DNN gradient) is
 * absent from the scrape, never NaN.
 */
public final class StreamfmMetrics {

    /** The field label of conflict figures over all fields together. */
    public static final String ALL_FIELDS = "all";

    /** Event-to-prediction: 1 ms .. 5 s, dense around the 25 ms / 70 ms targets. */
    static final double[] PREDICTION_LATENCY_BUCKETS =
            {0.001, 0.0025, 0.005, 0.01, 0.015, 0.025, 0.05, 0.07, 0.1, 0.25, 0.5, 1, 2.5, 5};
    /** One train step of a micro-batch: a few ms (frappe-like, 512) to seconds (criteo-like, large batches). */
    static final double[] TRAIN_STEP_BUCKETS =
            {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    /** Train step to scorer replica: target p99 < 2 s; minutes mean the sync is stuck. */
    static final double[] FRESHNESS_BUCKETS = {0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300};
    /** Cosine -1 .. 1 in steps of 0.1, so le="0.0" counts the conflicting steps. */
    static final double[] COSINE_BUCKETS = IntStream.rangeClosed(-10, 10).mapToDouble(i -> i / 10.0).toArray();

    private final Counter eventsConsumed;
    private final Counter predictions;
    private final Counter examplesTrained;
    private final Counter deadLetters;
    private final Counter duplicates;
    private final Counter blocksRefused;
    private final Counter versionsRejected;
    private final Histogram predictionLatency;
    private final Histogram trainStep;
    private final Gauge onlineAuc;
    private final Gauge onlineLogloss;
    private final Gauge onlineCalibration;
    private volatile Optional<Bayes> bayes = Optional.empty();
    private final Gauge modelVersion;
    private final Histogram freshness;
    private final Histogram conflictCosine;
    private final Gauge conflictShare;
    private final Gauge conflictMeanCosine;
    private final Gauge conflictDominance;
    private final Gauge conflictMagnitudeSimilarity;
    private final Gauge layerImportance;
    private final Gauge layerGradNorm;
    private final Gauge layerParamNorm;
    private final Gauge layerUpdateRatio;
    private final Gauge fieldImportance;
    private final Gauge rowsInUse;
    private final Counter idsAdmitted;
    private final Counter rowsExpired;

    public StreamfmMetrics(PrometheusRegistry registry) {
        eventsConsumed = Counter.builder().name("streamfm_events_consumed_total")
                .help("Records read from the input topics, decodable or not.").labelNames("topic").register(registry);
        predictions = Counter.builder().name("streamfm_predictions_total")
                .help("Predictions written to the predictions topic.").labelNames("model").register(registry);
        examplesTrained = Counter.builder().name("streamfm_examples_trained_total")
                .help("Labeled examples the model was trained on.").labelNames("model").register(registry);
        deadLetters = Counter.builder().name("streamfm_dead_letters_total")
                .help("Records sent to the dead-letter topic, by reason.").labelNames("reason").register(registry);
        duplicates = Counter.builder().name("streamfm_duplicates_total")
                .help("Events and labels dropped as duplicates (seen within the attribution window).")
                .labelNames("input").register(registry);
        blocksRefused = Counter.builder().name("streamfm_model_blocks_refused_total")
                .help("Model blocks a scorer refused (foreign_model, unknown_variable, wrong_shape, corrupt_values, "
                        + "undecodable); the scorer keeps its model.").labelNames("model", "reason").register(registry);
        versionsRejected = Counter.builder().name("streamfm_model_versions_rejected_total")
                .help("Model versions a scorer's quality gate did not apply (auc_drop, logloss_rise; pinned: held back "
                        + "by a pin); the scorer keeps the last good version.").labelNames("model", "reason")
                .register(registry);
        predictionLatency = Histogram.builder().name("streamfm_prediction_latency_seconds").unit(Unit.SECONDS)
                .help("Event time to prediction written (includes producer-to-broker time and clock skew).")
                .classicOnly().classicUpperBounds(PREDICTION_LATENCY_BUCKETS).register(registry);
        trainStep = Histogram.builder().name("streamfm_train_step_seconds").unit(Unit.SECONDS)
                .help("Wall time of one predict-then-train step on a micro-batch.").labelNames("model")
                .classicOnly().classicUpperBounds(TRAIN_STEP_BUCKETS).register(registry);
        onlineAuc = Gauge.builder().name("streamfm_online_auc")
                .help("Online ROC AUC over a rolling window of labeled predictions.")
                .labelNames("model", "source", "window").register(registry);
        onlineLogloss = Gauge.builder().name("streamfm_online_logloss")
                .help("Online mean log loss over a rolling window of labeled predictions.")
                .labelNames("model", "source", "window").register(registry);
        onlineCalibration = Gauge.builder().name("streamfm_online_calibration")
                .help("Mean predicted click probability over observed click rate in the window (1 = calibrated).")
                .labelNames("model", "source", "window").register(registry);
        GaugeWithCallback.builder().name("streamfm_bayes_auc")
                .help("AUC of the true click probabilities of the synthetic stream: the ceiling any model can reach.")
                .callback(cb -> bayes.ifPresent(b -> cb.call(b.auc()))).register(registry);
        GaugeWithCallback.builder().name("streamfm_bayes_logloss")
                .help("Log loss of the true click probabilities of the synthetic stream: the floor any model can reach.")
                .callback(cb -> bayes.ifPresent(b -> cb.call(b.logloss()))).register(registry);
        modelVersion = Gauge.builder().name("streamfm_model_version")
                .help("Training step of the model replica (the trainer's, or the one a scorer serves).")
                .labelNames("model", "role").register(registry);
        freshness = Histogram.builder().name("streamfm_model_freshness_seconds").unit(Unit.SECONDS)
                .help("Time from a train step to its update being applied by a scorer replica.").labelNames("model")
                .classicOnly().classicUpperBounds(FRESHNESS_BUCKETS).register(registry);
        conflictCosine = Histogram.builder().name("streamfm_grad_conflict_cosine")
                .help("Per analysed step: cosine between the gradients two towers (pair=\"fm-dnn\", \"cin-dnn\", ...) "
                        + "send into a field's embeddings (field=\"all\": all fields together). Below 0 they conflict.")
                .labelNames("model", "pair", "field").classicOnly().classicUpperBounds(COSINE_BUCKETS).register(registry);
        conflictShare = conflictGauge(registry, "streamfm_grad_conflict_share",
                "Fraction of the analysed steps in the window whose gradient cosine of the pair was below 0.");
        conflictMeanCosine = conflictGauge(registry, "streamfm_grad_conflict_mean_cosine",
                "Mean gradient cosine of the pair over the analysed steps in the window.");
        conflictDominance = conflictGauge(registry, "streamfm_grad_conflict_dominance",
                "Mean |G_second| / |G_first| of the pair (fm-dnn: |G_dnn| / |G_fm|) over the window: above 1 "
                        + "the second tower dominates the shared embedding update.");
        conflictMagnitudeSimilarity = conflictGauge(registry, "streamfm_grad_conflict_magnitude_similarity",
                "Mean 2|G_a||G_b| / (|G_a|^2 + |G_b|^2) of the pair over the window: 1 = equal magnitudes.");
        layerImportance = layerGauge(registry, "streamfm_layer_importance",
                "Rolling mean of mean |g * theta| (first-order Taylor importance) of a variable.");
        layerGradNorm = layerGauge(registry, "streamfm_layer_grad_norm",
                "Rolling mean of the L2 norm of a variable's gradient.");
        layerParamNorm = layerGauge(registry, "streamfm_layer_param_norm",
                "Rolling mean of the L2 norm of a variable (rows touched by the batch for tables).");
        layerUpdateRatio = layerGauge(registry, "streamfm_layer_update_ratio",
                "Rolling mean of |delta theta| / |theta| of a variable's update.");
        fieldImportance = Gauge.builder().name("streamfm_field_importance")
                .help("Rolling mean of |sum_d g_e * e| of a field's embedding: the live feature ranking.")
                .labelNames("model", "field").register(registry);
        rowsInUse = Gauge.builder().name("streamfm_admission_rows_in_use")
                .help("Table rows held by admitted ids, over all fields (feature admission or expiry on).")
                .labelNames("model").register(registry);
        idsAdmitted = Counter.builder().name("streamfm_admission_admitted_total")
                .help("Ids given a table row of their own after their minimum count of sightings.")
                .labelNames("model").register(registry);
        rowsExpired = Counter.builder().name("streamfm_admission_expired_total")
                .help("Rows taken back from ids not seen for the expiry span, initialised again for reuse.")
                .labelNames("model").register(registry);
    }

    private static Gauge conflictGauge(PrometheusRegistry registry, String name, String help) {
        return Gauge.builder().name(name).help(help).labelNames("model", "pair", "field").register(registry);
    }

    private static Gauge layerGauge(PrometheusRegistry registry, String name, String help) {
        return Gauge.builder().name(name).help(help).labelNames("model", "layer", "kind").register(registry);
    }

    public void onEventsConsumed(String topic, long count) {
        eventsConsumed.labelValues(topic).inc(count);
    }

    /** One prediction written; negative latencies (producer clock ahead of ours) count as 0. */
    public void onPrediction(String model, double latencySeconds) {
        predictions.labelValues(model).inc();
        predictionLatency.observe(Math.max(0.0, latencySeconds));
    }

    /** @param reason a short fixed vocabulary (e.g. decode, schema, feature), never an exception message */
    public void onDeadLetter(String reason) {
        deadLetters.labelValues(reason).inc();
    }

    /** @param input events or labels */
    public void onDuplicate(String input) {
        duplicates.labelValues(input).inc();
    }

    public void onModelBlockRefused(String model, String reason) {
        blocksRefused.labelValues(model, reason).inc();
    }

    /**
     * Shows every rejection reason of a model at 0, so that the first rejection is an increase
     * an alert can see.
     */
    public void initModelVersionsRejected(String model) {
        for (String reason : List.of(QualityGate.AUC_DROP, QualityGate.LOGLOSS_RISE, QualityGate.PINNED)) {
            versionsRejected.labelValues(model, reason);
        }
    }

    public void onModelVersionRejected(String model, String reason) {
        versionsRejected.labelValues(model, reason).inc();
    }

    public void onTrainStep(String model, double seconds, int examples) {
        trainStep.labelValues(model).observe(seconds);
        examplesTrained.labelValues(model).inc(examples);
    }

    /** What feature admission did in one live training step (README, Feature admission and expiry). */
    public void onAdmission(String model, int admitted, int expired, long rowsInUseAfter) {
        idsAdmitted.labelValues(model).inc(admitted);
        rowsExpired.labelValues(model).inc(expired);
        rowsInUse.labelValues(model).set(rowsInUseAfter);
    }

    /**
     * @param window the rolling window's name as users should see it, e.g. "10000" (examples) or "5m";
     *               keep the set of windows small and fixed
     */
    public void setOnlineMetrics(String model, EvaluationSource source, String window, double auc, double logloss,
                                 double calibration) {
        String[] labels = {model, source.label(), window};
        setOrRemove(onlineAuc, auc, labels);
        setOrRemove(onlineLogloss, logloss, labels);
        setOrRemove(onlineCalibration, calibration, labels);
    }

    /** The Bayes-optimal figures of the synthetic stream, while a generator reports them. */
    public void setBayes(double auc, double logloss) {
        bayes = Double.isFinite(auc) && Double.isFinite(logloss) ? Optional.of(new Bayes(auc, logloss))
                : Optional.empty();
    }

    /** Removes the Bayes figures (the generator stopped). */
    public void clearBayes() {
        bayes = Optional.empty();
    }

    public void setModelVersion(String model, ModelRole role, long version) {
        modelVersion.labelValues(model, role.label()).set(version);
    }

    /** One update applied by a scorer replica, {@code seconds} after the train step that produced it. */
    public void onFreshness(String model, double seconds) {
        freshness.labelValues(model).observe(Math.max(0.0, seconds));
    }

    /**
     * Publishes one analysed step: its cosines into the histograms, and the window's rolling
     * figures into the gauges. The conflict series of a field that measured no conflict in the
     * whole window (no DNN-path gradient) are removed rather than set to NaN.
     */
    public void publishAnalysis(String model, AnalysedStep step, AnalysisSnapshot window) {
        step.conflicts().forEach((pair, c) -> {
            c.byField().forEach((field, g) -> conflictCosine.labelValues(model, pair, field).observe(g.cosine()));
            c.all().ifPresent(g -> conflictCosine.labelValues(model, pair, ALL_FIELDS).observe(g.cosine()));
        });
        window.conflicts().forEach((pair, c) -> {
            for (String field : window.fields()) {
                publishConflict(model, pair, field, Optional.ofNullable(c.byField().get(field)));
            }
            publishConflict(model, pair, ALL_FIELDS, c.all());
        });
        for (LayerSummary l : window.layers()) {
            String[] labels = {model, l.layer(), l.kind().label()};
            setOrRemove(layerImportance, l.importance(), labels);
            setOrRemove(layerGradNorm, l.gradNorm(), labels);
            setOrRemove(layerParamNorm, l.paramNorm(), labels);
            setOrRemove(layerUpdateRatio, l.updateRatio(), labels);
        }
        window.fieldImportance().forEach((field, v) -> setOrRemove(fieldImportance, v, model, field));
    }

    /** A listener that publishes every step a tracker of {@code model} records. */
    public AnalysisListener analysisListener(String model) {
        return (step, window) -> publishAnalysis(model, step, window);
    }

    private void publishConflict(String model, String pair, String field, Optional<ConflictSummary> summary) {
        if (summary.isEmpty()) {
            for (Gauge g : List.of(conflictShare, conflictMeanCosine, conflictDominance, conflictMagnitudeSimilarity)) {
                g.remove(model, pair, field);
            }
            return;
        }
        ConflictSummary c = summary.get();
        conflictShare.labelValues(model, pair, field).set(c.conflictingShare());
        conflictMeanCosine.labelValues(model, pair, field).set(c.meanCosine());
        conflictDominance.labelValues(model, pair, field).set(c.meanDominance());
        conflictMagnitudeSimilarity.labelValues(model, pair, field).set(c.meanMagnitudeSimilarity());
    }

    private static void setOrRemove(Gauge gauge, double value, String... labels) {
        if (Double.isFinite(value)) {
            gauge.labelValues(labels).set(value);
        } else {
            gauge.remove(labels);
        }
    }

    private record Bayes(double auc, double logloss) {
    }
}
