package dev.streamfm.stream;

import dev.streamfm.cli.Main;
import dev.streamfm.config.ConfigException;
import dev.streamfm.config.StreamfmConfig;
import dev.streamfm.kafka.EmbeddedKafkaBroker;
import dev.streamfm.metrics.StreamfmMetrics;
import dev.streamfm.model.ModelDirectory;
import dev.streamfm.model.SavedModel;
import dev.streamfm.model.VariableValue;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * eval --save-model, serve with streamfm.model.init on an empty model topic, export: the exported
 * model is the saved one bit for bit, and a model of another shape is refused with what differs.
 */
class WarmStartIT {

    @TempDir
    Path dir;

    private static int cli(String... args) {
        StringWriter err = new StringWriter();
        int exit = Main.commandLine().setOut(new PrintWriter(new StringWriter())).setErr(new PrintWriter(err))
                .execute(args);
        assertEquals(0, exit, String.join(" ", args) + ": " + err);
        return exit;
    }

    @Test
    void aSavedModelGoesThroughTheServiceAndComesBackBitwise() throws Exception {
        Path saved = dir.resolve("saved");
        cli("eval", "--no-progress", "--synth", "frappe-like", "--count", "2000", "--save-model", saved.toString());
        SavedModel original = ModelDirectory.read(saved);
        assertTrue(original.state().step() > 0);

        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            Map<String, String> settings = new HashMap<>(Map.of("bootstrap.servers", broker.bootstrapServers(),
                    "streamfm.state.dir", dir.resolve("state").toString(), "streamfm.model.init", saved.toString()));
            StreamfmConfig cfg = StreamfmConfig.load(null, Map.of(), settings);
            try (StreamfmService service = StreamfmService.start(cfg, ServiceRole.ALL,
                    new StreamfmMetrics(new PrometheusRegistry()))) {
                assertEquals(original.state().step(), service.replica().version(),
                        "the scorer starts from the saved model too, before the trainer has published");
                long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
                while (ModelFollower.snapshot(StreamsProperties.clientProperties(cfg), cfg.topics().model(), "deepfm",
                        Duration.ofSeconds(30)).isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
            }
            Path exported = dir.resolve("exported");
            cli("export", "--bootstrap-servers", broker.bootstrapServers(), "--out", exported.toString());
            SavedModel back = ModelDirectory.read(exported);
            assertEquals(original.state().step(), back.state().step(), "the trainer keeps the saved step");
            assertEquals(original.state().variables().size(), back.state().variables().size());
            for (VariableValue v : original.state().variables()) {
                assertArrayEquals(v.values(), back.state().variable(v.name()).values(), v.name());
                assertArrayEquals(Files.readAllBytes(saved.resolve("variables/" + v.name() + ".f32")),
                        Files.readAllBytes(exported.resolve("variables/" + v.name() + ".f32")), v.name());
            }
            assertEquals(Files.readString(saved.resolve("features.yaml")),
                    Files.readString(exported.resolve("features.yaml")));

            settings.put("streamfm.topic.prefix", "other");
            settings.put("streamfm.model.type", "fm");
            ConfigException refused = assertThrows(ConfigException.class, () -> StreamfmService.start(
                    StreamfmConfig.load(null, Map.of(), settings), ServiceRole.TRAINER,
                    new StreamfmMetrics(new PrometheusRegistry())).close());
            assertTrue(refused.getMessage().startsWith("streamfm.model.init=" + saved + " does not fit this "
                    + "configuration: model type: saved deepfm, here fm"), refused.getMessage());
            assertTrue(refused.getMessage().contains("To start from it, set streamfm.features.spec="
                    + saved.resolve("features.yaml") + " streamfm.model.type=deepfm"), refused.getMessage());
            assertFalse(refused.getMessage().contains("feature spec differs"), "same shape, same spec");
        }
    }
}
