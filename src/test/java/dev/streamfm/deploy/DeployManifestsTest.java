package dev.streamfm.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.streamfm.config.Settings;
import dev.streamfm.config.StreamfmConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The deployment descriptions parse and agree with each other: compose, Prometheus, Grafana
 * provisioning and the Kubernetes manifests. (docker-compose itself validates the compose file
 * in .ci/run; promtool the Prometheus files in PromtoolIT.)
 */
class DeployManifestsTest {

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Path K8S = Path.of("deploy", "k8s");

    @Test
    void everyYamlFileParses() throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.walk(Path.of("deploy"))) {
            s.filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml")).forEach(files::add);
        }
        files.add(Path.of("docker-compose.yml"));
        assertTrue(files.size() >= 12, "found only " + files);
        for (Path f : files) {
            List<JsonNode> docs = documents(f);
            assertFalse(docs.isEmpty(), f + " is empty");
            docs.forEach(d -> assertTrue(d.isObject(), f + " has a document that is not a mapping"));
        }
    }

    @Test
    void kubernetesManifestsAreNamespaceAgnosticAndAllInTheKustomization() throws IOException {
        JsonNode kustomization = YAML.readTree(K8S.resolve("kustomization.yaml").toFile());
        Set<String> listed = new HashSet<>();
        kustomization.path("resources").forEach(r -> listed.add(r.asText()));
        Set<String> present = new HashSet<>();
        for (Path f : k8sManifests()) {
            present.add(f.getFileName().toString());
            for (JsonNode d : documents(f)) {
                String what = f.getFileName() + " " + d.path("kind").asText();
                assertFalse(d.path("apiVersion").asText().isEmpty(), what + " lacks apiVersion");
                assertFalse(d.path("metadata").path("name").asText().isEmpty(), what + " lacks a name");
                assertTrue(d.path("metadata").path("namespace").isMissingNode(), what + " pins a namespace");
            }
        }
        assertEquals(present, listed, "kustomization resources");
    }

    @Test
    void configMapPropertiesAreValidStreamfmSettings(@TempDir Path tmp) throws IOException {
        StreamfmConfig config = kubernetesConfig(tmp);
        assertEquals("/var/lib/streamfm/state", config.get(Settings.STATE_DIR), "state must live on the volume");
        assertEquals(9400, config.getInt(Settings.METRICS_PORT));
    }

    /** Every STREAMFM_* variable the deployment sets is one the service reads. */
    @Test
    void environmentVariablesAreKnownSettings() throws IOException {
        Set<String> known = new HashSet<>(Set.of("STREAMFM_LOG_LEVEL"));   // read by logback.xml
        Settings.ALL.forEach(s -> known.add(s.envName()));
        List<Path> files = new ArrayList<>(k8sManifests());
        files.addAll(List.of(Path.of("docker-compose.yml"), Path.of("Dockerfile")));
        for (Path f : files) {
            Matcher m = Pattern.compile("STREAMFM_[A-Z0-9_]*[A-Z0-9]").matcher(Files.readString(f));
            while (m.find()) {
                String name = m.group();
                assertTrue(known.contains(name) || name.startsWith(StreamfmConfig.KAFKA_ENV_PREFIX),
                        f + " sets " + name + ", which StreamFM does not read");
            }
        }
    }

    @Test
    void scorersScaleWithinTheEventPartitionsAndProbeReadiness(@TempDir Path tmp) throws IOException {
        JsonNode scorer = k8s("Deployment", "streamfm-scorer");
        int replicas = scorer.path("spec").path("replicas").asInt();
        int partitions = kubernetesConfig(tmp).getInt(Settings.PARTITIONS);
        assertTrue(replicas >= 1 && replicas <= partitions,
                "scorer replicas " + replicas + " beyond the " + partitions + " event partitions");
        JsonNode pod = scorer.path("spec").path("template");
        assertRole(pod, "scorer");
        assertScrapedOnMetricsPort(pod);
    }

    @Test
    void oneTrainerWithPersistentStateBehindAHeadlessService() throws IOException {
        JsonNode trainer = k8s("StatefulSet", "streamfm-trainer");
        JsonNode spec = trainer.path("spec");
        assertEquals(1, spec.path("replicas").asInt(), "the trainer is the single writer of the model");
        assertRole(spec.path("template"), "trainer");
        assertScrapedOnMetricsPort(spec.path("template"));
        String claim = spec.path("volumeClaimTemplates").get(0).path("metadata").path("name").asText();
        JsonNode container = spec.path("template").path("spec").path("containers").get(0);
        boolean mounted = false;
        for (JsonNode m : container.path("volumeMounts")) {
            mounted |= m.path("name").asText().equals(claim);
        }
        assertTrue(mounted, "volume claim " + claim + " is not mounted");
        JsonNode service = k8s("Service", spec.path("serviceName").asText());
        assertEquals("None", service.path("spec").path("clusterIP").asText(), "governing service must be headless");
    }

    @Test
    void servicesSelectTheirPodsAndLeaveScrapingToThePodAnnotations() throws IOException {
        List<JsonNode> pods = List.of(k8s("Deployment", "streamfm-scorer").path("spec").path("template"),
                k8s("StatefulSet", "streamfm-trainer").path("spec").path("template"));
        for (JsonNode service : kinds("Service")) {
            String name = service.path("metadata").path("name").asText();
            Map<String, String> selector = YAML.convertValue(service.path("spec").path("selector"),
                    YAML.getTypeFactory().constructMapType(Map.class, String.class, String.class));
            assertFalse(selector.isEmpty(), name + " selects nothing");
            long matching = pods.stream().filter(p -> labels(p).entrySet().containsAll(selector.entrySet())).count();
            assertEquals(1, matching, name + " must select exactly one workload");
            assertTrue(service.path("metadata").path("annotations").path("prometheus.io/scrape").isMissingNode(),
                    name + ": annotating services as well would make Prometheus scrape every pod twice");
        }
        JsonNode k8sScrape = YAML.readTree(Path.of("deploy", "prometheus", "prometheus-k8s.yml").toFile());
        String keptName = k8sScrape.path("scrape_configs").get(0).path("relabel_configs").get(0).path("regex").asText();
        for (JsonNode p : pods) {
            assertEquals(keptName, labels(p).get("app.kubernetes.io/name"), "prometheus-k8s.yml keeps these pods");
        }
    }

    /** The Pod Security Standards' "restricted" profile, field by field, for every pod template. */
    @Test
    void everyPodPassesThePodSecurityRestrictedProfile() throws IOException {
        List<JsonNode> pods = new ArrayList<>();
        for (String kind : List.of("Deployment", "StatefulSet")) {
            kinds(kind).forEach(w -> pods.add(w.path("spec").path("template")));
        }
        assertFalse(pods.isEmpty());
        for (JsonNode pod : pods) {
            JsonNode spec = pod.path("spec");
            String name = pod.path("metadata").path("labels").path("app.kubernetes.io/component").asText();
            JsonNode podSecurity = spec.path("securityContext");
            assertTrue(podSecurity.path("runAsNonRoot").asBoolean(), name + " runAsNonRoot");
            assertEquals("RuntimeDefault", podSecurity.path("seccompProfile").path("type").asText(), name + " seccomp");
            assertTrue(spec.path("hostNetwork").isMissingNode() && spec.path("hostPID").isMissingNode(), name);
            Set<String> emptyDirs = new HashSet<>();
            for (JsonNode v : spec.path("volumes")) {
                assertTrue(v.path("hostPath").isMissingNode(), name + " mounts a host path");
                if (!v.path("emptyDir").isMissingNode()) {
                    emptyDirs.add(v.path("name").asText());
                }
            }
            for (JsonNode c : spec.path("containers")) {
                JsonNode sc = c.path("securityContext");
                assertFalse(sc.path("allowPrivilegeEscalation").asBoolean(true), name + " allowPrivilegeEscalation");
                assertEquals(List.of("ALL"), strings(sc.path("capabilities").path("drop")), name + " capabilities");
                assertTrue(sc.path("capabilities").path("add").isMissingNode(), name + " adds capabilities");
                assertTrue(sc.path("readOnlyRootFilesystem").asBoolean(), name + " readOnlyRootFilesystem");
                assertFalse(sc.path("privileged").asBoolean(false), name + " privileged");
                Set<String> writable = new HashSet<>();
                for (JsonNode m : c.path("volumeMounts")) {
                    if (!m.path("readOnly").asBoolean(false)) {
                        writable.add(m.path("mountPath").asText());
                    }
                }
                assertTrue(writable.contains("/tmp"), name + ": the JVM needs a writable /tmp");
                assertTrue(writable.contains("/var/lib/streamfm"), name + ": state and native cache need a volume");
            }
            assertTrue(emptyDirs.contains("tmp"), name + " /tmp is an emptyDir");
        }
    }

    @Test
    void composePublishesOnLoopbackOnlyAndTakesGrafanasPasswordFromTheEnvironment() throws IOException {
        JsonNode services = YAML.readTree(Path.of("docker-compose.yml").toFile()).path("services");
        for (Iterator<Map.Entry<String, JsonNode>> it = services.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> service = it.next();
            for (String port : strings(service.getValue().path("ports"))) {
                assertTrue(port.startsWith("127.0.0.1:"), service.getKey() + " publishes " + port
                        + " on every interface");
            }
        }
        String password = services.path("grafana").path("environment").path("GF_SECURITY_ADMIN_PASSWORD").asText();
        assertTrue(password.startsWith("${GRAFANA_ADMIN_PASSWORD:?"), "no default password: " + password);
    }

    @Test
    void composeRunsTheStackOnTheDesignTopics() throws IOException {
        JsonNode services = YAML.readTree(Path.of("docker-compose.yml").toFile()).path("services");
        assertEquals(List.of("serve", "--role", "all", "--bootstrap-servers", "kafka:29092"),
                strings(services.path("streamfm").path("command")));
        // generate serves no metrics unless asked; prometheus.yml scrapes it for the Bayes-optimal figures.
        assertEquals(List.of("generate", "--bootstrap-servers", "kafka:29092", "--rate", "2000",
                        "--metrics-port", "9400"),
                strings(services.path("generator").path("command")));
        assertTrue(strings(services.path("streamfm").path("ports")).contains("127.0.0.1:9400:9400"));

        String init = services.path("topic-init").path("command").get(0).asText();
        for (String topic : List.of("streamfm.events", "streamfm.labels", "streamfm.predictions",
                "streamfm.examples", "streamfm.model", "streamfm.dlq")) {
            assertTrue(Pattern.compile("(?m)^topic " + Pattern.quote(topic) + "\\s").matcher(init).find(),
                    "topic-init does not create " + topic);
        }
        assertTrue(Pattern.compile("(?m)^topic streamfm\\.model .*cleanup\\.policy=compact").matcher(init).find(),
                "streamfm.model must be compacted");
        assertEquals("service_completed_successfully",
                services.path("streamfm").path("depends_on").path("topic-init").path("condition").asText());
        assertEquals("service_healthy",
                services.path("topic-init").path("depends_on").path("kafka").path("condition").asText());
    }

    @Test
    void prometheusAndGrafanaInComposeUseTheDeployFiles() throws IOException {
        JsonNode services = YAML.readTree(Path.of("docker-compose.yml").toFile()).path("services");
        assertTrue(strings(services.path("prometheus").path("volumes")).contains("./deploy/prometheus:/etc/prometheus:ro"));
        JsonNode scrape = YAML.readTree(Path.of("deploy", "prometheus", "prometheus.yml").toFile());
        JsonNode streamfmJob = scrape.path("scrape_configs").get(0);
        assertEquals("streamfm", streamfmJob.path("job_name").asText(), "alerts and dashboards select job=streamfm");
        assertEquals("streamfm:9400", streamfmJob.path("static_configs").get(0).path("targets").get(0).asText());

        List<String> grafanaVolumes = strings(services.path("grafana").path("volumes"));
        assertTrue(grafanaVolumes.contains("./deploy/grafana/provisioning:/etc/grafana/provisioning:ro"));
        String dashboardsMount = grafanaVolumes.stream().filter(v -> v.startsWith("./deploy/grafana/dashboards:"))
                .findFirst().orElseThrow().split(":")[1];
        JsonNode provider = YAML.readTree(Path.of("deploy", "grafana", "provisioning", "dashboards", "streamfm.yml")
                .toFile()).path("providers").get(0);
        assertEquals(dashboardsMount, provider.path("options").path("path").asText());
        JsonNode datasource = YAML.readTree(Path.of("deploy", "grafana", "provisioning", "datasources",
                "prometheus.yml").toFile()).path("datasources").get(0);
        assertEquals("prometheus", datasource.path("uid").asText());
        assertEquals("http://prometheus:9090", datasource.path("url").asText());
    }

    /** Every alert has a promtool case where it fires and one where it stays quiet. */
    @Test
    void everyAlertIsTestedFiringAndNotFiring() throws IOException {
        Set<String> alerts = new HashSet<>();
        for (JsonNode group : YAML.readTree(Path.of("deploy", "prometheus", "alerts.yml").toFile()).path("groups")) {
            group.path("rules").forEach(r -> alerts.add(r.path("alert").asText()));
        }
        Set<String> fires = new HashSet<>();
        Set<String> quiet = new HashSet<>();
        for (JsonNode test : YAML.readTree(Path.of("deploy", "prometheus", "alerts_test.yml").toFile()).path("tests")) {
            for (JsonNode t : test.path("alert_rule_test")) {
                (t.path("exp_alerts").size() > 0 ? fires : quiet).add(t.path("alertname").asText());
            }
        }
        assertEquals(alerts, fires, "alerts with a firing test");
        assertEquals(alerts, quiet, "alerts with a not-firing test");
    }

    private static void assertRole(JsonNode podTemplate, String role) {
        List<String> args = strings(podTemplate.path("spec").path("containers").get(0).path("args"));
        int i = args.indexOf("--role");
        assertTrue(i >= 0 && args.get(i + 1).equals(role), "expected --role " + role + " in " + args);
        assertEquals("serve", args.get(0));
    }

    private static void assertScrapedOnMetricsPort(JsonNode podTemplate) {
        JsonNode annotations = podTemplate.path("metadata").path("annotations");
        assertEquals("true", annotations.path("prometheus.io/scrape").asText());
        assertEquals("/metrics", annotations.path("prometheus.io/path").asText());
        JsonNode container = podTemplate.path("spec").path("containers").get(0);
        JsonNode port = container.path("ports").get(0);
        assertEquals(annotations.path("prometheus.io/port").asInt(), port.path("containerPort").asInt());
        JsonNode readiness = container.path("readinessProbe").path("httpGet");
        assertEquals("/readyz", readiness.path("path").asText(), "ready = streams RUNNING, model loaded, follower alive");
        assertEquals(port.path("name").asText(), readiness.path("port").asText());
        JsonNode liveness = container.path("livenessProbe").path("httpGet");
        assertEquals("/healthz", liveness.path("path").asText());
        assertEquals(port.path("name").asText(), liveness.path("port").asText());
    }

    private static StreamfmConfig kubernetesConfig(Path tmp) throws IOException {
        String properties = k8s("ConfigMap", "streamfm-config").path("data").path("streamfm.properties").asText();
        return StreamfmConfig.load(Files.writeString(tmp.resolve("streamfm.properties"), properties), Map.of(),
                Map.of());
    }

    private static Map<String, String> labels(JsonNode podTemplate) {
        return YAML.convertValue(podTemplate.path("metadata").path("labels"),
                YAML.getTypeFactory().constructMapType(Map.class, String.class, String.class));
    }

    private static JsonNode k8s(String kind, String name) throws IOException {
        return kinds(kind).stream().filter(d -> d.path("metadata").path("name").asText().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in " + K8S));
    }

    private static List<JsonNode> kinds(String kind) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (Path f : k8sManifests()) {
            documents(f).stream().filter(d -> d.path("kind").asText().equals(kind)).forEach(out::add);
        }
        return out;
    }

    private static List<Path> k8sManifests() throws IOException {
        try (Stream<Path> s = Files.list(K8S)) {
            return s.filter(p -> p.toString().endsWith(".yaml") && !p.endsWith("kustomization.yaml")).sorted().toList();
        }
    }

    private static List<JsonNode> documents(Path f) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(f.toFile())) {
            while (it.hasNext()) {
                JsonNode d = it.next();
                if (d != null && !d.isNull() && !d.isMissingNode()) {
                    docs.add(d);
                }
            }
        }
        return docs;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        for (Iterator<JsonNode> it = array.elements(); it.hasNext(); ) {
            out.add(it.next().asText());
        }
        return out;
    }
}
