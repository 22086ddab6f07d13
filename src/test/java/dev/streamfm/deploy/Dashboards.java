package dev.streamfm.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Grafana dashboards under deploy/grafana/dashboards and the PromQL they run, with Grafana's
 * variables replaced so Prometheus itself can execute them ({@link PrometheusServer#query}).
 */
public final class Dashboards {

    public static final Path DIR = Path.of("deploy", "grafana", "dashboards");

    /** One PromQL expression of a dashboard: a panel target, or the selector of a variable's label_values(). */
    public record Query(String dashboard, String source, String expr) {
        /** The expression with every variable matching anything and rate windows of {@code rateInterval}. */
        public String instantiate(String rateInterval) {
            return Dashboards.instantiate(expr, rateInterval);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{?(\\w+)}?");
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((.+),\\s*\\w+\\)");

    private Dashboards() {
    }

    public static List<Path> files() {
        try (Stream<Path> s = Files.list(DIR)) {
            return s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + DIR, e);
        }
    }

    public static JsonNode read(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse dashboard " + file, e);
        }
    }

    /** Panels at any depth (rows may nest collapsed panels). */
    public static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> out = new ArrayList<>();
        collect(dashboard.path("panels"), out);
        return out;
    }

    private static void collect(JsonNode panels, List<JsonNode> out) {
        for (JsonNode p : panels) {
            out.add(p);
            collect(p.path("panels"), out);
        }
    }

    /** Every panel target expression and every variable query of every dashboard. */
    public static List<Query> queries() {
        List<Query> out = new ArrayList<>();
        for (Path f : files()) {
            JsonNode d = read(f);
            String title = d.path("title").asText();
            for (JsonNode p : panels(d)) {
                for (JsonNode t : p.path("targets")) {
                    out.add(new Query(title, "panel \"" + p.path("title").asText() + "\" " + t.path("refId").asText(),
                            t.path("expr").asText()));
                }
            }
            for (JsonNode v : d.path("templating").path("list")) {
                Matcher m = LABEL_VALUES.matcher(v.path("query").asText());
                if (m.matches()) {
                    out.add(new Query(title, "variable $" + v.path("name").asText(), m.group(1)));
                }
            }
        }
        return out;
    }

    /** Names of the Grafana variables an expression uses, without the built-in $__ ones. */
    public static List<String> variables(String expr) {
        List<String> names = new ArrayList<>();
        Matcher m = VARIABLE.matcher(expr);
        while (m.find()) {
            if (!m.group(1).startsWith("__")) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    static String instantiate(String expr, String rateInterval) {
        return expr.replace("$__rate_interval", rateInterval).replace("$__interval", rateInterval)
                .replace("$__range", rateInterval)
                .replaceAll("\\$\\{?\\w+}?", ".*");
    }
}
