package dev.streamfm.bench;

import dev.streamfm.metrics.StreamfmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RegistryReadingsTest {

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final StreamfmMetrics metrics = new StreamfmMetrics(registry);
    private final RegistryReadings readings = new RegistryReadings(registry);

    @Test
    void countersSumTheMatchingSeries() {
        assertEquals(0, readings.counter(Metric.DEAD_LETTERS, Map.of("reason", "orphan_label")));
        metrics.onDeadLetter("orphan_label");
        metrics.onDeadLetter("orphan_label");
        metrics.onDeadLetter("decode");
        assertEquals(2, readings.counter(Metric.DEAD_LETTERS, Map.of("reason", "orphan_label")));
        assertEquals(3, readings.counter(Metric.DEAD_LETTERS, Map.of()));
        metrics.onTrainStep("deepfm", 0.01, 256);
        assertEquals(256, readings.counter(Metric.EXAMPLES_TRAINED, Map.of("model", "deepfm")));
    }

    @Test
    void quantileIsTheUpperBoundOfItsBucket() {
        Map<String, String> model = Map.of("model", "deepfm");
        assertTrue(Double.isNaN(readings.quantileBound(Metric.FRESHNESS, model, 0.99)));
        for (int i = 0; i < 98; i++) {
            metrics.onFreshness("deepfm", 0.07);
        }
        metrics.onFreshness("deepfm", 0.3);
        metrics.onFreshness("deepfm", 3.0);
        assertEquals(0.1, readings.quantileBound(Metric.FRESHNESS, model, 0.5));
        assertEquals(0.5, readings.quantileBound(Metric.FRESHNESS, model, 0.99));
        assertEquals(5.0, readings.quantileBound(Metric.FRESHNESS, model, 1.0));
    }
}
