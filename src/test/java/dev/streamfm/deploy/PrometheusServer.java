package dev.streamfm.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real Prometheus server for tests: the {@code prometheus} binary on a free local port, with its
 * own storage in a temporary directory, scraping the given targets as job "streamfm" (the job the
 * dashboards and alerts select). Dashboards and alerts are checked by running their expressions
 * through it: {@link #query} fails on an expression Prometheus rejects and counts the series of one
 * it accepts, so a test against a running StreamFM can also require every panel to show data.
 */
public final class PrometheusServer implements AutoCloseable {

    /**
     * The PromQL result of an instant query.
     *
     * @param series the labels of each series returned (one empty map for a scalar or string)
     */
    public record QueryResult(String resultType, List<Map<String, String>> series) {
        public int count() {
            return series.size();
        }

        public boolean isEmpty() {
            return series.isEmpty();
        }
    }

    /** Prometheus refused an expression (a syntax or type error). */
    public static final class PromQLException extends RuntimeException {
        PromQLException(String message) {
            super(message);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final Path dir;
    private final int port;
    private final HttpClient http = HttpClient.newHttpClient();

    private PrometheusServer(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    /** Scrapes the targets ("host:port", path /metrics) every second. */
    public static PrometheusServer start(List<String> scrapeTargets) throws IOException, InterruptedException {
        return start(scrapeTargets, Duration.ofSeconds(1), List.of());
    }

    /**
     * @param scrapeTargets "host:port" of metrics endpoints, scraped as job "streamfm"; may be empty
     * @param ruleFiles     rule files to load and evaluate (e.g. deploy/prometheus/alerts.yml)
     */
    public static PrometheusServer start(List<String> scrapeTargets, Duration scrapeInterval, List<Path> ruleFiles)
            throws IOException, InterruptedException {
        Path binary = ExternalTool.require("prometheus");
        Path dir = Files.createTempDirectory("streamfm-prometheus");
        String seconds = scrapeInterval.toMillis() + "ms";
        String config = "global:\n  scrape_interval: " + seconds + "\n  evaluation_interval: " + seconds + "\n"
                + "rule_files:\n" + (ruleFiles.isEmpty() ? "  []\n" : ruleFiles.stream()
                .map(f -> "  - '" + f.toAbsolutePath() + "'\n").collect(Collectors.joining()))
                + "scrape_configs:\n  - job_name: streamfm\n    static_configs:\n      - targets: ["
                + scrapeTargets.stream().map(t -> "'" + t + "'").collect(Collectors.joining(", ")) + "]\n";
        Path configFile = Files.writeString(dir.resolve("prometheus.yml"), config);
        Path log = dir.resolve("prometheus.log");
        // The free port is probed and then handed over, so another process may grab it first: retry then.
        for (int attempt = 1; ; attempt++) {
            int port = freePort();
            Process p = new ProcessBuilder(binary.toString(), "--config.file=" + configFile,
                    "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                    "--log.level=warn")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            PrometheusServer server = new PrometheusServer(p, dir, port);
            if (server.awaitReady()) {
                return server;
            }
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            String output = Files.readString(log);
            if (attempt == 3 || !output.contains("address already in use")) {
                deleteRecursively(dir);
                throw new IllegalStateException("prometheus did not become ready on 127.0.0.1:" + port + ":\n"
                        + output);
            }
        }
    }

    public int port() {
        return port;
    }

    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** Runs an instant query now; throws {@link PromQLException} when Prometheus rejects the expression. */
    public QueryResult query(String promql) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(baseUri().resolve("/api/v1/query"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("query="
                                + URLEncoder.encode(promql, StandardCharsets.UTF_8)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(response.body());
        if (!"success".equals(body.path("status").asText())) {
            throw new PromQLException("prometheus rejected `" + promql + "`: " + body.path("errorType").asText()
                    + ": " + body.path("error").asText());
        }
        JsonNode data = body.path("data");
        String type = data.path("resultType").asText();
        List<Map<String, String>> series = new ArrayList<>();
        if (type.equals("vector") || type.equals("matrix")) {
            for (JsonNode r : data.path("result")) {
                Map<String, String> labels = new TreeMap<>();
                r.path("metric").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
                series.add(labels);
            }
        } else {
            series.add(Map.of());   // a scalar or string always carries one value
        }
        return new QueryResult(type, series);
    }

    /** Number of series (or 1 for a scalar) the expression returns now. */
    public int queryCount(String promql) throws IOException, InterruptedException {
        return query(promql).count();
    }

    /** Waits until every target of job "streamfm" was scraped successfully at least once. */
    public void awaitTargetsUp(int targets, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (queryCount("up{job=\"streamfm\"} == 1") < targets) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("prometheus did not scrape " + targets + " target(s) within " + timeout
                        + "; log:\n" + Files.readString(dir.resolve("prometheus.log")));
            }
            Thread.sleep(200);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        deleteRecursively(dir);
    }

    private boolean awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(baseUri().resolve("/-/ready")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return true;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        return false;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
