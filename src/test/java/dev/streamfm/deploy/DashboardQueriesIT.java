package dev.streamfm.deploy;

import dev.streamfm.metrics.MetricsServer;
import dev.streamfm.metrics.StreamfmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every dashboard expression must be valid PromQL for the Prometheus the stack runs: each is sent
 * to a real prometheus binary that scrapes a live StreamFM metrics endpoint. (That every panel
 * also shows data needs a running demo; the same PrometheusServer and Dashboards serve that test.)
 */
class DashboardQueriesIT {

    /**
     * Checked first, so a missing tool skips (or fails) the test before anything starts; per test,
     * because Maven's reports do not show a skip of a whole class.
     */
    @BeforeEach
    void requireTool() {
        ExternalTool.require("prometheus");
    }

    @Test
    void prometheusScrapesTheMetricsEndpointAndAcceptsEveryDashboardExpression() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        StreamfmMetrics metrics = new StreamfmMetrics(registry);
        metrics.onPrediction("deepfm", 0.004);
        metrics.onPrediction("deepfm", 0.02);
        try (MetricsServer endpoint = MetricsServer.start(registry, "127.0.0.1", 0, "a test picks a free port");
             PrometheusServer prometheus = PrometheusServer.start(List.of("127.0.0.1:" + endpoint.port()))) {
            prometheus.awaitTargetsUp(1, Duration.ofSeconds(30));

            // The harness itself: counts series of a scraped metric, empties, and rejects bad PromQL.
            assertEquals(1, prometheus.queryCount("streamfm_predictions_total{model=\"deepfm\", job=\"streamfm\"}"));
            assertEquals(15, prometheus.queryCount("streamfm_prediction_latency_seconds_bucket"));
            assertTrue(prometheus.query("streamfm_predictions_total{model=\"nope\"}").isEmpty());
            assertEquals("scalar", prometheus.query("scalar(vector(1))").resultType());
            assertThrows(PrometheusServer.PromQLException.class, () -> prometheus.query("sum by (le (x)"));
            assertThrows(PrometheusServer.PromQLException.class, () -> prometheus.query("rate(vector(1)[1m])"));

            List<Dashboards.Query> queries = Dashboards.queries();
            assertTrue(queries.size() > 30, "found only " + queries.size() + " dashboard queries");
            List<String> rejected = new ArrayList<>();
            for (Dashboards.Query q : queries) {
                try {
                    prometheus.query(q.instantiate("15s"));
                } catch (PrometheusServer.PromQLException e) {
                    rejected.add(q.dashboard() + " " + q.source() + ": " + e.getMessage());
                }
            }
            assertTrue(rejected.isEmpty(), String.join("\n", rejected));
        }
    }
}
