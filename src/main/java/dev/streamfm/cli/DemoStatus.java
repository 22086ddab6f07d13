package dev.streamfm.cli;

import dev.streamfm.config.Topics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * The demo's status line, read from the same registry Prometheus scrapes, so what the terminal
 * shows is what the dashboards show.
 */
final class DemoStatus {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final PrometheusRegistry registry;
    private final String model;
    private final Topics topics;
    private double lastPredictions;
    private long lastAt = System.nanoTime();

    DemoStatus(PrometheusRegistry registry, String model, Topics topics) {
        this.registry = registry;
        this.model = model;
        this.topics = topics;
    }

    String line(double bayesAuc) {
        MetricSnapshots s = registry.scrape();
        long now = System.nanoTime();
        double predictions = sum(s, "streamfm_predictions", Map.of("model", model));
        double rate = (predictions - lastPredictions) / ((now - lastAt) / 1e9);
        lastPredictions = predictions;
        lastAt = now;
        double trained = sum(s, "streamfm_examples_trained", Map.of("model", model));
        double auc = sum(s, "streamfm_online_auc", Map.of("model", model, "source", "trainer"));
        double served = sum(s, "streamfm_online_auc", Map.of("model", model, "source", "served"));
        double share = sum(s, "streamfm_grad_conflict_share", Map.of("model", model, "field", "all"));
        double version = sum(s, "streamfm_model_version", Map.of("model", model, "role", "scorer"));
        double[] fresh = histogram(s, "streamfm_model_freshness_seconds", Map.of("model", model));
        double dlq = sum(s, "streamfm_dead_letters", Map.of());
        // The lag a user watches to see the service fall behind: events not yet scored, examples not yet trained.
        double eventLag = lag(s, topics.events());
        double exampleLag = lag(s, topics.examples());
        return String.format("%s  scored %,.0f/s (%,.0f) lag %s  trained %,.0f lag %s  "
                        + "AUC trainer %s served %s (Bayes %s)  conflict %s  model v%.0f fresh %s  dead letters %,.0f",
                LocalTime.now().format(TIME), rate, predictions, count(eventLag), trained, count(exampleLag),
                fmt(auc), fmt(served), fmt(bayesAuc),
                Double.isNaN(share) ? "n/a" : String.format("%.0f%%", 100 * share), version,
                fresh[1] == 0 ? "n/a" : String.format("%.2fs", fresh[0] / fresh[1]), dlq);
    }

    private static double lag(MetricSnapshots s, String topic) {
        return sum(s, "kafka_consumer_fetch_manager_records_lag", Map.of("topic", topic));
    }

    private static String count(double v) {
        return Double.isNaN(v) ? "n/a" : String.format("%,.0f", v);
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "n/a" : String.format("%.4f", v);
    }

    /** Sum of the values of every data point of the metric whose labels include the given ones. */
    private static double sum(MetricSnapshots snapshots, String name, Map<String, String> labels) {
        double total = Double.NaN;
        for (MetricSnapshot m : snapshots) {
            if (!m.getMetadata().getPrometheusName().equals(name)) {
                continue;
            }
            for (DataPointSnapshot dp : m.getDataPoints()) {
                if (!matches(dp, labels)) {
                    continue;
                }
                double v = m instanceof CounterSnapshot ? ((CounterSnapshot.CounterDataPointSnapshot) dp).getValue()
                        : m instanceof GaugeSnapshot ? ((GaugeSnapshot.GaugeDataPointSnapshot) dp).getValue()
                        : Double.NaN;
                total = Double.isNaN(total) ? v : total + v;
            }
        }
        return total;
    }

    /** {sum, count} of a histogram over matching data points. */
    private static double[] histogram(MetricSnapshots snapshots, String name, Map<String, String> labels) {
        double[] out = new double[2];
        for (MetricSnapshot m : snapshots) {
            if (m instanceof HistogramSnapshot h && m.getMetadata().getPrometheusName().equals(name)) {
                for (HistogramSnapshot.HistogramDataPointSnapshot dp : h.getDataPoints()) {
                    if (matches(dp, labels)) {
                        out[0] += dp.getSum();
                        out[1] += dp.getCount();
                    }
                }
            }
        }
        return out;
    }

    private static boolean matches(DataPointSnapshot dp, Map<String, String> labels) {
        for (Map.Entry<String, String> e : labels.entrySet()) {
            if (!e.getValue().equals(dp.getLabels().get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
