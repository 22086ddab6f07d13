package dev.streamfm.stream;

import dev.streamfm.config.Settings;
import dev.streamfm.config.StreamfmConfig;
import dev.streamfm.metrics.StreamfmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StreamsPropertiesTest {

    private static Object commitInterval(Map<String, String> settings, ServiceRole role) {
        StreamfmConfig cfg = StreamfmConfig.load(null, Map.of(), settings);
        return StreamsProperties.of(cfg, role, new StreamfmMetrics(new PrometheusRegistry()))
                .get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG);
    }

    @Test
    void theTrainerCommitsAtItsOwnIntervalAndTheScorerAtTheServices() {
        Map<String, String> settings = Map.of(Settings.COMMIT_MS.key(), "40",
                Settings.TRAINING_COMMIT_MS.key(), "700");
        assertEquals(40, commitInterval(settings, ServiceRole.SCORER));
        assertEquals(700, commitInterval(settings, ServiceRole.TRAINER));
        assertEquals(500, commitInterval(Map.of(), ServiceRole.TRAINER), "the trainer's default");
    }
}
