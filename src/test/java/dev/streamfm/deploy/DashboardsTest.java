package dev.streamfm.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Structure of the Grafana dashboards; DashboardQueriesIT runs their PromQL on a real Prometheus. */
class DashboardsTest {

    @Test
    void bothDashboardsParseWithUniqueUidsAndAModelVariable() {
        Set<String> titles = new HashSet<>();
        Set<String> uids = new HashSet<>();
        for (Path f : Dashboards.files()) {
            JsonNode d = Dashboards.read(f);
            titles.add(d.path("title").asText());
            assertTrue(uids.add(d.path("uid").asText()), "duplicate uid in " + f);
            assertTrue(variableNames(d).contains("model"), f + " has no model variable");
        }
        assertEquals(Set.of("StreamFM Model", "StreamFM Service"), titles);
    }

    @Test
    void everyPanelQueriesTheProvisionedPrometheus() {
        for (Path f : Dashboards.files()) {
            for (JsonNode p : Dashboards.panels(Dashboards.read(f))) {
                if (p.path("type").asText().equals("row")) {
                    continue;
                }
                String where = f.getFileName() + " panel \"" + p.path("title").asText() + "\"";
                assertEquals("prometheus", p.path("datasource").path("uid").asText(), where);
                assertTrue(p.path("targets").size() > 0, where + " has no targets");
                for (JsonNode t : p.path("targets")) {
                    assertFalse(t.path("expr").asText().isBlank(), where + " has an empty expression");
                    assertEquals("prometheus", t.path("datasource").path("uid").asText(), where);
                }
                assertFalse(p.path("description").asText().isBlank(), where + " explains nothing");
            }
        }
    }

    /**
     * A multi-value or "All" variable expands to a regex alternation, which only a regex matcher
     * understands: model="$model" would silently match nothing once two models are selected.
     */
    @Test
    void variablesAreDefinedAndUsedInRegexMatchers() {
        Pattern regexUse = Pattern.compile("=~\"[^\"]*\\$\\{?(\\w+)}?[^\"]*\"");
        for (Path f : Dashboards.files()) {
            JsonNode d = Dashboards.read(f);
            Set<String> defined = variableNames(d);
            List<String> exprs = new ArrayList<>();
            Dashboards.panels(d).forEach(p -> p.path("targets").forEach(t -> exprs.add(t.path("expr").asText())));
            d.path("templating").path("list").forEach(v -> exprs.add(v.path("query").asText()));
            for (String expr : exprs) {
                List<String> used = Dashboards.variables(expr);
                List<String> inRegex = new ArrayList<>();
                Matcher m = regexUse.matcher(expr);
                while (m.find()) {
                    inRegex.add(m.group(1));
                }
                for (String v : used) {
                    assertTrue(defined.contains(v), f.getFileName() + ": $" + v + " is not defined, in " + expr);
                }
                assertEquals(used, inRegex, f.getFileName() + ": a variable outside a =~ matcher in " + expr);
            }
        }
    }

    @Test
    void panelsFitTheGridWithoutOverlapping() {
        for (Path f : Dashboards.files()) {
            List<int[]> boxes = new ArrayList<>();
            for (JsonNode p : Dashboards.read(f).path("panels")) {
                JsonNode g = p.path("gridPos");
                int[] box = {g.path("x").asInt(), g.path("y").asInt(), g.path("w").asInt(), g.path("h").asInt()};
                String where = f.getFileName() + " panel \"" + p.path("title").asText() + "\"";
                assertTrue(box[2] > 0 && box[3] > 0 && box[0] + box[2] <= 24, where + " does not fit 24 columns");
                for (int[] other : boxes) {
                    boolean apart = box[0] + box[2] <= other[0] || other[0] + other[2] <= box[0]
                            || box[1] + box[3] <= other[1] || other[1] + other[3] <= box[1];
                    if (!apart) {
                        fail(where + " overlaps another panel");
                    }
                }
                boxes.add(box);
            }
        }
    }

    @Test
    void instantiationLeavesNoGrafanaSyntax() {
        String expr = "sum by (le) (rate(x_bucket{model=~\"$model\", field=~\"${field}\"}[$__rate_interval]))";
        assertEquals("sum by (le) (rate(x_bucket{model=~\".*\", field=~\".*\"}[30s]))",
                Dashboards.instantiate(expr, "30s"));
    }

    private static Set<String> variableNames(JsonNode d) {
        Set<String> names = new HashSet<>();
        d.path("templating").path("list").forEach(v -> names.add(v.path("name").asText()));
        return names;
    }
}
