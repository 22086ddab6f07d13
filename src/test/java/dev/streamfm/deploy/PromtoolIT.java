package dev.streamfm.deploy;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Prometheus configuration, alert rules and their unit tests, checked by the real promtool. */
class PromtoolIT {

    private static final Path DIR = Path.of("deploy", "prometheus");

    /**
     * Checked first, so a missing tool skips (or fails) the test before anything starts; per test,
     * because Maven's reports do not show a skip of a whole class.
     */
    @BeforeEach
    void requireTool() {
        ExternalTool.require("promtool");
    }

    @Test
    void composeConfigIsValid() throws Exception {
        assertSucceeds("check", "config", DIR.resolve("prometheus.yml").toString());
    }

    @Test
    void alertRulesAreValid() throws Exception {
        assertSucceeds("check", "rules", DIR.resolve("alerts.yml").toString());
    }

    @Test
    void alertUnitTestsPass() throws Exception {
        ExternalTool.Result r = assertSucceeds("test", "rules", DIR.resolve("alerts_test.yml").toString());
        assertTrue(r.output().contains("SUCCESS"), r.output());
    }

    /**
     * Debian's prometheus package is built without Kubernetes service discovery, so its promtool
     * rejects kubernetes_sd_configs as an unknown field. Then the same file is checked with the
     * discovery swapped for a static target, which still validates every relabelling rule.
     */
    @Test
    void kubernetesConfigIsValid(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Path config = DIR.resolve("prometheus-k8s.yml");
        ExternalTool.Result r = ExternalTool.run("promtool", "check", "config", config.toString());
        if (r.exitCode() != 0 && r.output().contains("field kubernetes_sd_configs not found")) {
            String text = Files.readString(config);
            String swapped = text.replace("kubernetes_sd_configs:\n      - role: pod",
                    "static_configs:\n      - targets: [\"pod:9400\"]");
            assertTrue(!swapped.equals(text), "prometheus-k8s.yml no longer has the expected discovery block");
            Files.copy(DIR.resolve("alerts.yml"), tmp.resolve("alerts.yml"));
            Path copy = Files.writeString(tmp.resolve("prometheus-k8s.yml"), swapped);
            r = ExternalTool.run("promtool", "check", "config", copy.toString());
        }
        assertEquals(0, r.exitCode(), r.output());
    }

    private static ExternalTool.Result assertSucceeds(String... args) throws Exception {
        ExternalTool.Result r = ExternalTool.run("promtool", args);
        assertEquals(0, r.exitCode(), "promtool " + String.join(" ", args) + ":\n" + r.output());
        return r;
    }
}
