package dev.streamfm.metrics;

import dev.streamfm.analysis.AnalysisSnapshot;
import dev.streamfm.analysis.AnalysisTracker;
import dev.streamfm.analysis.LayerStat;
import dev.streamfm.analysis.StepAnalysis;
import dev.streamfm.analysis.TowerGradients;
import dev.streamfm.model.LayerKind;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Scrapes the real HTTP endpoint and checks the public metric contract (README, Metrics). */
class StreamfmMetricsTest {

    private static final String MODEL = "deepfm";
    private static final List<String> FIELDS = List.of("user", "item", "hour");

    private PrometheusRegistry registry;
    private StreamfmMetrics metrics;
    private MetricsServer server;

    @BeforeEach
    void start() {
        registry = new PrometheusRegistry();
        metrics = new StreamfmMetrics(registry);
        server = MetricsServer.start(registry, "127.0.0.1", 0, "a test picks a free port");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** name -> {type, label names}: written out here, not derived from the code, because it is the contract. */
    private static final Map<String, List<Object>> CONTRACT = Map.ofEntries(
            Map.entry("streamfm_events_consumed_total", List.of("counter", Set.of("topic"))),
            Map.entry("streamfm_predictions_total", List.of("counter", Set.of("model"))),
            Map.entry("streamfm_examples_trained_total", List.of("counter", Set.of("model"))),
            Map.entry("streamfm_dead_letters_total", List.of("counter", Set.of("reason"))),
            Map.entry("streamfm_duplicates_total", List.of("counter", Set.of("input"))),
            Map.entry("streamfm_model_blocks_refused_total", List.of("counter", Set.of("model", "reason"))),
            Map.entry("streamfm_model_versions_rejected_total", List.of("counter", Set.of("model", "reason"))),
            Map.entry("streamfm_prediction_latency_seconds", List.of("histogram", Set.of())),
            Map.entry("streamfm_train_step_seconds", List.of("histogram", Set.of("model"))),
            Map.entry("streamfm_online_auc", List.of("gauge", Set.of("model", "source", "window"))),
            Map.entry("streamfm_online_logloss", List.of("gauge", Set.of("model", "source", "window"))),
            Map.entry("streamfm_online_calibration", List.of("gauge", Set.of("model", "source", "window"))),
            Map.entry("streamfm_bayes_auc", List.of("gauge", Set.of())),
            Map.entry("streamfm_bayes_logloss", List.of("gauge", Set.of())),
            Map.entry("streamfm_model_version", List.of("gauge", Set.of("model", "role"))),
            Map.entry("streamfm_model_freshness_seconds", List.of("histogram", Set.of("model"))),
            Map.entry("streamfm_grad_conflict_cosine", List.of("histogram", Set.of("model", "pair", "field"))),
            Map.entry("streamfm_grad_conflict_share", List.of("gauge", Set.of("model", "pair", "field"))),
            Map.entry("streamfm_grad_conflict_mean_cosine", List.of("gauge", Set.of("model", "pair", "field"))),
            Map.entry("streamfm_grad_conflict_dominance", List.of("gauge", Set.of("model", "pair", "field"))),
            Map.entry("streamfm_grad_conflict_magnitude_similarity", List.of("gauge", Set.of("model", "pair", "field"))),
            Map.entry("streamfm_layer_importance", List.of("gauge", Set.of("model", "layer", "kind"))),
            Map.entry("streamfm_layer_grad_norm", List.of("gauge", Set.of("model", "layer", "kind"))),
            Map.entry("streamfm_layer_param_norm", List.of("gauge", Set.of("model", "layer", "kind"))),
            Map.entry("streamfm_layer_update_ratio", List.of("gauge", Set.of("model", "layer", "kind"))),
            Map.entry("streamfm_field_importance", List.of("gauge", Set.of("model", "field"))),
            Map.entry("streamfm_admission_rows_in_use", List.of("gauge", Set.of("model"))),
            Map.entry("streamfm_admission_admitted_total", List.of("counter", Set.of("model"))),
            Map.entry("streamfm_admission_expired_total", List.of("counter", Set.of("model"))));

    @Test
    void everyContractMetricIsServedWithItsTypeAndLabels() throws Exception {
        touchEveryMetric();
        Scrape scrape = Scrape.of(server.port());
        Set<String> served = scrape.types().keySet().stream().filter(n -> n.startsWith("streamfm_"))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(CONTRACT.keySet()), served, "metric families");
        CONTRACT.forEach((name, typeAndLabels) -> {
            assertEquals(typeAndLabels.get(0), scrape.types().get(name), name + " type");
            String sampleName = switch ((String) typeAndLabels.get(0)) {
                case "histogram" -> name + "_count";
                default -> name;
            };
            List<Scrape.Sample> samples = scrape.named(sampleName);
            assertFalse(samples.isEmpty(), "no samples of " + sampleName);
            for (Scrape.Sample s : samples) {
                assertEquals(typeAndLabels.get(1), s.labels().keySet(), sampleName + " labels");
            }
        });
    }

    @Test
    void countersAndLatencyHistograms() throws Exception {
        metrics.onEventsConsumed("streamfm.events", 3);
        metrics.onEventsConsumed("streamfm.events", 4);
        metrics.onEventsConsumed("streamfm.labels", 2);
        double[] latencies = {0.0005, 0.02, 0.02, 3.0, -0.5};
        for (double l : latencies) {
            metrics.onPrediction(MODEL, l);
        }
        metrics.onDeadLetter("decode");
        metrics.onDeadLetter("decode");
        metrics.onDeadLetter("feature");
        metrics.onTrainStep(MODEL, 0.012, 512);
        metrics.onTrainStep(MODEL, 0.2, 100);

        Scrape s = Scrape.of(server.port());
        assertEquals(7.0, s.require("streamfm_events_consumed_total", "topic", "streamfm.events"));
        assertEquals(2.0, s.require("streamfm_events_consumed_total", "topic", "streamfm.labels"));
        assertEquals(5.0, s.require("streamfm_predictions_total", "model", MODEL));
        assertEquals(2.0, s.require("streamfm_dead_letters_total", "reason", "decode"));
        assertEquals(1.0, s.require("streamfm_dead_letters_total", "reason", "feature"));
        assertEquals(612.0, s.require("streamfm_examples_trained_total", "model", MODEL));

        // The clock-skewed negative latency counts as 0, so it lands in the first bucket.
        assertEquals(2.0, s.require("streamfm_prediction_latency_seconds_bucket", "le", "0.001"));
        assertEquals(2.0, s.require("streamfm_prediction_latency_seconds_bucket", "le", "0.015"));
        assertEquals(4.0, s.require("streamfm_prediction_latency_seconds_bucket", "le", "0.025"));
        assertEquals(4.0, s.require("streamfm_prediction_latency_seconds_bucket", "le", "2.5"));
        assertEquals(5.0, s.require("streamfm_prediction_latency_seconds_bucket", "le", "5.0"));
        assertEquals(5.0, s.require("streamfm_prediction_latency_seconds_count"));
        assertEquals(0.0005 + 0.04 + 3.0, s.require("streamfm_prediction_latency_seconds_sum"), 1e-12);
        assertEquals(1.0, s.require("streamfm_train_step_seconds_bucket", "model", MODEL, "le", "0.025"));
        assertEquals(2.0, s.require("streamfm_train_step_seconds_bucket", "model", MODEL, "le", "0.25"));
    }

    @Test
    void admissionCountersAddUpAndRowsInUseIsTheLastStepsFigure() throws Exception {
        metrics.onAdmission(MODEL, 5, 0, 5);
        metrics.onAdmission(MODEL, 2, 3, 4);
        Scrape s = Scrape.of(server.port());
        assertEquals(7.0, s.require("streamfm_admission_admitted_total", "model", MODEL));
        assertEquals(3.0, s.require("streamfm_admission_expired_total", "model", MODEL));
        assertEquals(4.0, s.require("streamfm_admission_rows_in_use", "model", MODEL));
    }

    @Test
    void rejectedVersionsStartAtZeroForEveryReasonSoTheFirstIsAnIncrease() throws Exception {
        metrics.initModelVersionsRejected(MODEL);
        Scrape s = Scrape.of(server.port());
        for (String reason : List.of("auc_drop", "logloss_rise", "pinned")) {
            assertEquals(0.0, s.require("streamfm_model_versions_rejected_total", "model", MODEL, "reason", reason));
        }
        metrics.onModelVersionRejected(MODEL, "auc_drop");
        metrics.onModelVersionRejected(MODEL, "auc_drop");
        assertEquals(2.0, Scrape.of(server.port()).require("streamfm_model_versions_rejected_total", "model", MODEL,
                "reason", "auc_drop"));
    }

    @Test
    void cosineHistogramCountsKnownCosinesInTenthBuckets() throws Exception {
        AnalysisTracker tracker = new AnalysisTracker(10);
        tracker.addListener(metrics.analysisListener(MODEL));
        // With unit norms the field's cosine is its dot product.
        double[] cosines = {-1.0, -0.35, 0.05, 0.45, 0.95, 1.0};
        for (int i = 0; i < cosines.length; i++) {
            tracker.record(step(i, new float[]{(float) cosines[i], 0.5f, 0f}, new float[]{1, 1, 1},
                    new float[]{1, 1, 1}));
        }
        Scrape s = Scrape.of(server.port());

        List<String> expectedLe = new ArrayList<>();
        for (int i = -10; i <= 10; i++) {
            expectedLe.add(i == 0 ? "0.0" : Double.toString(i / 10.0));
        }
        expectedLe.add("+Inf");
        List<String> servedLe = s.named("streamfm_grad_conflict_cosine_bucket").stream()
                .filter(x -> x.labels().get("field").equals("user")).map(x -> x.labels().get("le")).toList();
        assertEquals(expectedLe, servedLe, "bucket bounds; alerts and dashboards select le=\"0.0\"");

        for (int i = -10; i <= 10; i++) {
            double bound = i / 10.0;
            long below = java.util.Arrays.stream(cosines).filter(c -> c <= bound).count();
            assertEquals((double) below, s.require("streamfm_grad_conflict_cosine_bucket", "model", MODEL,
                    "pair", "fm-dnn", "field", "user", "le", expectedLe.get(i + 10)), "le=" + bound);
        }
        assertEquals(6.0, s.require("streamfm_grad_conflict_cosine_count", "model", MODEL, "pair", "fm-dnn", "field", "user"));
        assertEquals(java.util.Arrays.stream(cosines).sum(),
                s.require("streamfm_grad_conflict_cosine_sum", "model", MODEL, "pair", "fm-dnn", "field", "user"), 1e-6);
        // "item" is always 0.5; "hour" has dot 0 so cosine 0, which counts as not conflicting in the gauge.
        assertEquals(0.0, s.require("streamfm_grad_conflict_cosine_bucket", "model", MODEL, "pair", "fm-dnn", "field", "item",
                "le", "0.4"));
        assertEquals(6.0, s.require("streamfm_grad_conflict_cosine_bucket", "model", MODEL, "pair", "fm-dnn", "field", "item",
                "le", "0.5"));
        assertEquals(6.0, s.require("streamfm_grad_conflict_cosine_count", "model", MODEL, "pair", "fm-dnn", "field", "all"));

        assertEquals(2.0 / 6.0, s.require("streamfm_grad_conflict_share", "model", MODEL, "pair", "fm-dnn", "field", "user"), 1e-12);
        assertEquals(0.0, s.require("streamfm_grad_conflict_share", "model", MODEL, "pair", "fm-dnn", "field", "hour"));
    }

    @Test
    void windowGaugesEqualTheSnapshotAndDisappearWhenUndefined() throws Exception {
        AnalysisTracker tracker = new AnalysisTracker(2);
        tracker.addListener(metrics.analysisListener(MODEL));
        tracker.record(step(1, new float[]{-2, 1, 3}, new float[]{1, 4, 9}, new float[]{9, 1, 4}));
        tracker.record(step(2, new float[]{1, -2, -0.5f}, new float[]{4, 1, 1}, new float[]{1, 4, 1}));
        AnalysisSnapshot snap = tracker.snapshot();
        Scrape s = Scrape.of(server.port());
        for (String field : FIELDS) {
            var c = snap.conflictByField().get(field);
            assertEquals(c.conflictingShare(), gauge(s, "streamfm_grad_conflict_share", field));
            assertEquals(c.meanCosine(), gauge(s, "streamfm_grad_conflict_mean_cosine", field), 1e-12);
            assertEquals(c.meanDominance(), gauge(s, "streamfm_grad_conflict_dominance", field), 1e-12);
            assertEquals(c.meanMagnitudeSimilarity(),
                    gauge(s, "streamfm_grad_conflict_magnitude_similarity", field), 1e-12);
            assertEquals(snap.fieldImportance().get(field), s.require("streamfm_field_importance", "model", MODEL,
                    "field", field), 1e-12);
        }
        var all = snap.conflictAll().orElseThrow();
        assertEquals(all.meanCosine(), gauge(s, "streamfm_grad_conflict_mean_cosine", "all"), 1e-12);
        assertEquals(all.conflictingShare(), gauge(s, "streamfm_grad_conflict_share", "all"));
        assertEquals(0.5, all.conflictingShare(), "overall dot: step 1 is 2, step 2 is -1.5");
        var layer = snap.layers().get(0);
        assertEquals(layer.importance(), s.require("streamfm_layer_importance", "model", MODEL,
                "layer", "dnn/dense0/kernel", "kind", "dnn"), 1e-12);
        assertEquals(layer.updateRatio(), s.require("streamfm_layer_update_ratio", "model", MODEL,
                "layer", "dnn/dense0/kernel", "kind", "dnn"), 1e-12);

        // Two steps in which "hour" gets no DNN gradient push its last figure out of the window.
        tracker.record(step(3, new float[]{1, 1, 0}, new float[]{1, 1, 1}, new float[]{1, 1, 0}));
        tracker.record(step(4, new float[]{1, 1, 0}, new float[]{1, 1, 1}, new float[]{1, 1, 0}));
        Scrape after = Scrape.of(server.port());
        for (String name : List.of("streamfm_grad_conflict_share", "streamfm_grad_conflict_mean_cosine",
                "streamfm_grad_conflict_dominance", "streamfm_grad_conflict_magnitude_similarity")) {
            assertEquals(Optional.empty(), after.value(name, "model", MODEL, "pair", "fm-dnn", "field", "hour"), name);
            assertTrue(after.value(name, "model", MODEL, "pair", "fm-dnn", "field", "user").isPresent(), name);
            assertTrue(after.value(name, "model", MODEL, "pair", "fm-dnn", "field", "all").isPresent(), name);
        }
        assertTrue(after.samples().stream().noneMatch(x -> Double.isNaN(x.value())), "no NaN anywhere");
    }

    @Test
    void onlineMetricsVersionsFreshnessAndBayes() throws Exception {
        metrics.setOnlineMetrics(MODEL, EvaluationSource.TRAINER, "10000", 0.78, 0.45, 1.02);
        metrics.setOnlineMetrics(MODEL, EvaluationSource.SERVED, "10000", 0.76, Double.NaN, 0.98);
        metrics.setModelVersion(MODEL, ModelRole.TRAINER, 1200);
        metrics.setModelVersion(MODEL, ModelRole.SCORER, 1190);
        metrics.onFreshness(MODEL, 0.4);
        metrics.onFreshness(MODEL, 3.0);
        Scrape s = Scrape.of(server.port());
        assertEquals(0.78, s.require("streamfm_online_auc", "model", MODEL, "source", "trainer", "window", "10000"));
        assertEquals(0.76, s.require("streamfm_online_auc", "model", MODEL, "source", "served", "window", "10000"));
        assertEquals(1.02, s.require("streamfm_online_calibration", "model", MODEL, "source", "trainer",
                "window", "10000"));
        assertEquals(Optional.empty(), s.value("streamfm_online_logloss", "model", MODEL, "source", "served",
                "window", "10000"), "an undefined figure is absent, not NaN");
        assertEquals(1200.0, s.require("streamfm_model_version", "model", MODEL, "role", "trainer"));
        assertEquals(1190.0, s.require("streamfm_model_version", "model", MODEL, "role", "scorer"));
        assertEquals(1.0, s.require("streamfm_model_freshness_seconds_bucket", "model", MODEL, "le", "0.5"));
        assertEquals(2.0, s.require("streamfm_model_freshness_seconds_bucket", "model", MODEL, "le", "5.0"));
        assertTrue(s.named("streamfm_bayes_auc").isEmpty(), "Bayes figures only while a generator reports them");

        metrics.setBayes(0.81, 0.41);
        Scrape withBayes = Scrape.of(server.port());
        assertEquals(0.81, withBayes.require("streamfm_bayes_auc"));
        assertEquals(0.41, withBayes.require("streamfm_bayes_logloss"));
        metrics.clearBayes();
        assertTrue(Scrape.of(server.port()).named("streamfm_bayes_auc").isEmpty());
    }

    @Test
    void jvmMetricsShareTheEndpoint() throws Exception {
        Scrape s = Scrape.of(server.port());
        assertTrue(s.require("jvm_memory_used_bytes", "area", "heap") > 0);
        assertEquals("counter", s.types().get("process_cpu_seconds_total"));
    }

    @Test
    void kafkaStreamsClientMetricsShareTheEndpointUntilUnbound(@TempDir Path stateDir) throws Exception {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "metrics-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");   // never started, never connects
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("in").to("out");
        try (KafkaStreams streams = new KafkaStreams(builder.build(), p)) {
            AutoCloseable binding = server.bindKafkaStreams(streams);
            Scrape bound = Scrape.of(server.port());
            assertTrue(bound.hasSamplesStartingWith("kafka_stream_thread_"), "stream thread metrics");
            assertTrue(bound.hasSamplesStartingWith("kafka_consumer_"), "consumer metrics");
            assertTrue(bound.hasSamplesStartingWith("kafka_producer_"), "producer metrics");
            binding.close();
            assertFalse(Scrape.of(server.port()).hasSamplesStartingWith("kafka_"), "unbound");
        }
    }

    @Test
    void aTakenPortIsAClearError() {
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> MetricsServer.start(new PrometheusRegistry(), "127.0.0.1", server.port(), "set the.port"));
        assertTrue(e.getMessage().startsWith("cannot serve metrics on 127.0.0.1:" + server.port()
                + " (Address already in use): set the.port"), e.getMessage());
    }

    private static double gauge(Scrape s, String name, String field) {
        return s.require(name, "model", MODEL, "pair", "fm-dnn", "field", field);
    }

    /** A batch of one example: per field (dot, |G_fm|^2, |G_dnn|^2). */
    private static StepAnalysis step(long step, float[] dot, float[] fmSq, float[] dnnSq) {
        return new StepAnalysis(step, FIELDS, List.of(new TowerGradients("fm", "dnn", 1, FIELDS.size(), dot, fmSq, dnnSq, true)),
                new double[]{0.3 * step, 0.1, 0.2 / step},
                List.of(new LayerStat("dnn/dense0/kernel", LayerKind.DNN, 0.01 * step, 1.5, 20, 0.001 * step)));
    }

    @Test
    void probesAnswerFromTheRegisteredChecksAndNameTheFailingOne() throws Exception {
        assertEquals(200, probe("/healthz").statusCode(), "alive while starting");
        assertEquals(503, probe("/readyz").statusCode(), "not ready before a service registers its checks");
        java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(false);
        server.probes(() -> Map.of("streams_alive", true),
                () -> Map.of("streams_running", running.get(), "model_loaded", true));
        var notReady = probe("/readyz");
        assertEquals(503, notReady.statusCode());
        assertTrue(notReady.body().contains("streams_running FAILED"), notReady.body());
        running.set(true);
        assertEquals(200, probe("/readyz").statusCode());
        assertEquals(200, probe("/healthz").statusCode());
        assertEquals(404, probe("/nothing").statusCode());
    }

    private java.net.http.HttpResponse<String> probe(String path) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    private void touchEveryMetric() {
        metrics.onEventsConsumed("streamfm.events", 1);
        metrics.onPrediction(MODEL, 0.01);
        metrics.onDeadLetter("decode");
        metrics.onDuplicate("events");
        metrics.onModelBlockRefused(MODEL, "foreign_model");
        metrics.onModelVersionRejected(MODEL, "auc_drop");
        metrics.onTrainStep(MODEL, 0.01, 10);
        metrics.setOnlineMetrics(MODEL, EvaluationSource.TRAINER, "10000", 0.7, 0.5, 1.0);
        metrics.setBayes(0.8, 0.4);
        metrics.setModelVersion(MODEL, ModelRole.TRAINER, 1);
        metrics.onFreshness(MODEL, 0.2);
        metrics.onAdmission(MODEL, 1, 0, 1);
        AnalysisTracker tracker = new AnalysisTracker(3);
        tracker.addListener(metrics.analysisListener(MODEL));
        tracker.record(step(1, new float[]{-1, 1, 0.5f}, new float[]{1, 1, 1}, new float[]{1, 2, 3}));
    }
}
