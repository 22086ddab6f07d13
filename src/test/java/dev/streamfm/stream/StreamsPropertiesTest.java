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

    private static Object property(Map<String, String> settings, ServiceRole role, String key) {
        StreamfmConfig cfg = StreamfmConfig.load(null, Map.of(), settings);
        return StreamsProperties.of(cfg, role, new StreamfmMetrics(new PrometheusRegistry())).get(key);
    }

    private static Object commitInterval(Map<String, String> settings, ServiceRole role) {
        return property(settings, role, StreamsConfig.COMMIT_INTERVAL_MS_CONFIG);
    }

    @Test
    void theScorerDoesNotIdleForATopicUnlessTheOperatorSaysSo() {
        String idle = StreamsConfig.MAX_TASK_IDLE_MS_CONFIG;
        assertEquals(-1L, ((Number) property(Map.of(), ServiceRole.SCORER, idle)).longValue());
        assertEquals(null, property(Map.of(), ServiceRole.TRAINER, idle), "the trainer reads one topic");
        assertEquals("2000", String.valueOf(property(Map.of(idle, "2000"), ServiceRole.SCORER, idle)));
    }

    @Test
    void theTrainerCommitsAtItsOwnIntervalAndTheScorerAtTheServices() {
        Map<String, String> settings = Map.of(Settings.COMMIT_MS.key(), "40",
                Settings.TRAINING_COMMIT_MS.key(), "700");
        assertEquals(40, commitInterval(settings, ServiceRole.SCORER));
        assertEquals(700, commitInterval(settings, ServiceRole.TRAINER));
        assertEquals(500, commitInterval(Map.of(), ServiceRole.TRAINER), "the trainer's default");
    }

    @Test
    void producersLingerOnlyWhereOutputIsVisibleBeforeTheCommit() {
        String linger = StreamsConfig.producerPrefix("linger.ms");
        Map<String, String> atLeastOnce = Map.of(Settings.GUARANTEE.key(), "at_least_once");
        assertEquals("1", String.valueOf(property(atLeastOnce, ServiceRole.SCORER, linger)));
        assertEquals(null, property(Map.of(), ServiceRole.SCORER, linger), "exactly-once keeps Streams' linger");
        assertEquals("20", String.valueOf(property(Map.of(linger, "20"), ServiceRole.SCORER, linger)));
    }
}
