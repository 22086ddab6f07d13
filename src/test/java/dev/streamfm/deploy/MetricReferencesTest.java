package dev.streamfm.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.streamfm.metrics.StreamfmMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dashboards and alerts may only name series the service really exposes: a renamed metric or a
 * typo would leave a panel blank and an alert silent forever, without any error.
 */
class MetricReferencesTest {

    private static final Pattern OWN_METRIC = Pattern.compile("\\b(?:streamfm|jvm|process)_[a-z0-9_]+");

    @Test
    void everyStreamfmJvmAndProcessSeriesNamedInDashboardsAndAlertsIsExposed() throws IOException {
        Set<String> exposed = exposedSeriesNames();
        List<String> unknown = new ArrayList<>();
        for (Dashboards.Query q : Dashboards.queries()) {
            check(q.dashboard() + " " + q.source(), q.expr(), exposed, unknown);
        }
        JsonNode alerts = new YAMLMapper().readTree(Path.of("deploy", "prometheus", "alerts.yml").toFile());
        for (JsonNode group : alerts.path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                check("alert " + rule.path("alert").asText(), rule.path("expr").asText(), exposed, unknown);
            }
        }
        assertTrue(unknown.isEmpty(), "series no StreamFM process exposes:\n" + String.join("\n", unknown));
    }

    private static void check(String where, String expr, Set<String> exposed, List<String> unknown) {
        Matcher m = OWN_METRIC.matcher(expr);
        while (m.find()) {
            if (!exposed.contains(m.group())) {
                unknown.add(where + ": " + m.group());
            }
        }
    }

    /** The sample names a StreamFM process serves, as Prometheus stores them. */
    private static Set<String> exposedSeriesNames() {
        PrometheusRegistry registry = new PrometheusRegistry();
        new StreamfmMetrics(registry);
        JvmMetrics.builder().register(registry);
        Set<String> names = new TreeSet<>();
        for (MetricSnapshot s : registry.scrape()) {
            String base = s.getMetadata().getPrometheusName();
            if (s instanceof CounterSnapshot) {
                names.add(base + "_total");
            } else if (s instanceof HistogramSnapshot) {
                names.addAll(List.of(base + "_bucket", base + "_count", base + "_sum"));
            } else if (s instanceof SummarySnapshot) {
                names.addAll(List.of(base, base + "_count", base + "_sum"));
            } else if (s instanceof InfoSnapshot) {
                names.add(base + "_info");
            } else {
                names.add(base);
            }
        }
        assertTrue(names.contains("streamfm_grad_conflict_cosine_bucket"), "registry scrape lost metrics: " + names);
        return names;
    }
}
