package dev.streamfm.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.streamfm.cli.Main;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboards and alerts against the real thing: `streamfm demo` runs (embedded broker, all
 * topologies, synthetic traffic with some malformed records), a real Prometheus scrapes it for
 * about a minute, and then every expression of every dashboard panel and every alert rule must
 * return data.
 */
class DemoDashboardsIT {

    private static final Duration DEMO = Duration.ofSeconds(110);
    private static final Duration SCRAPING = Duration.ofSeconds(65);

    /**
     * Checked first, so a missing tool skips (or fails) the test before anything starts; per test,
     * because Maven's reports do not show a skip of a whole class.
     */
    @BeforeEach
    void requireTool() {
        ExternalTool.require("prometheus");
    }

    @Test
    void everyDashboardPanelAndAlertExpressionShowsDataWhileTheDemoRuns() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        int metricsPort = port;
        int[] exit = {-1};
        Thread demo = new Thread(() -> exit[0] = Main.commandLine().execute("demo", "--rate", "1000",
                "--duration", DEMO.toString(), "--metrics-port", Integer.toString(metricsPort),
                "--status-every", "PT10S"), "demo");
        demo.start();
        try (PrometheusServer prometheus = PrometheusServer.start(List.of("127.0.0.1:" + metricsPort))) {
            prometheus.awaitTargetsUp(1, Duration.ofSeconds(90));
            Thread.sleep(SCRAPING.toMillis());

            List<String> empty = new ArrayList<>();
            List<Dashboards.Query> queries = Dashboards.queries();
            for (Dashboards.Query q : queries) {
                String expr = q.instantiate("30s");
                if (prometheus.queryCount(expr) == 0) {
                    empty.add(q.dashboard() + " " + q.source() + ": " + expr);
                }
            }
            for (String expr : alertConditions()) {
                if (prometheus.queryCount(expr) == 0) {
                    empty.add("alert: " + expr);
                }
            }
            assertTrue(queries.size() > 30, "dashboard queries found: " + queries.size());
            assertTrue(empty.isEmpty(), empty.size() + " expressions returned nothing:\n" + String.join("\n", empty));
        } finally {
            demo.join(DEMO.plusSeconds(60).toMillis());
        }
        assertEquals(0, exit[0], "demo exit code");
    }

    /**
     * Each alert's expression without its threshold, which is what must have data: a healthy
     * demo does not fire the alerts (promtool's rule tests cover firing). An offset of an hour is
     * shortened to fit the run.
     */
    static List<String> alertConditions() throws Exception {
        JsonNode rules = new ObjectMapper(new YAMLFactory()).readTree(Path.of("deploy/prometheus/alerts.yml").toFile());
        List<String> out = new ArrayList<>();
        for (JsonNode group : rules.path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                if (rule.has("alert")) {
                    String expr = rule.get("expr").asText().trim()
                            .replaceAll("\\s*(>|<|>=|<=|==|!=)\\s*[-0-9.e]+\\s*$", "")
                            .replace("offset 1h", "offset 20s");
                    out.add(expr);
                }
            }
        }
        assertTrue(out.size() >= 5, "alert rules found: " + out.size());
        return out;
    }
}
