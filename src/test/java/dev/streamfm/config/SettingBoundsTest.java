package dev.streamfm.config;

import dev.streamfm.model.DecouplingRule;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Values a setting cannot use are refused when the configuration loads, naming the key and the range. */
class SettingBoundsTest {

    private static ConfigException refused(Setting s, String value) {
        return assertThrows(ConfigException.class, () -> StreamfmConfig.load(null, Map.of(), Map.of(s.key(), value)),
                s.key() + "=" + value);
    }

    @Test
    void unusableValuesAreRefused() {
        assertTrue(refused(Settings.METRICS_PORT, "65536").getMessage().contains("65535"));
        refused(Settings.EMBEDDING_DIM, "4294967296");
        refused(Settings.EMBEDDING_DIM, "2000");
        refused(Settings.EMBEDDING_LR, "Infinity");
        refused(Settings.DENSE_LR, "1e400");
        refused(Settings.L2, "Infinity");
        refused(Settings.INIT_ACCUMULATOR, "NaN");
        refused(Settings.SQUARED_GRADIENTS, "per-example");
        refused(Settings.DECOUPLING_THRESHOLD, "1.5");
        refused(Settings.DECOUPLING_THRESHOLD, "-0.1");
        refused(Settings.DECOUPLING_WINDOW, "0");
        refused(Settings.HIDDEN_UNITS, "400,99999999999");
        refused(Settings.PARTITIONS, "0");
    }

    @Test
    void theDecouplingRuleComesFromItsSettings() {
        StreamfmConfig cfg = StreamfmConfig.load(null, Map.of(), Map.of(Settings.SHARING.key(), "auto",
                Settings.DECOUPLING_EVERY.key(), "20", Settings.DECOUPLING_WINDOW.key(), "50",
                Settings.DECOUPLING_THRESHOLD.key(), "1"));
        assertEquals(new DecouplingRule(20, 50, 1.0), ModelSetup.from(cfg).modelConfig().decoupling());
        assertEquals(DecouplingRule.DEFAULTS, ModelSetup.from(StreamfmConfig.load(null, Map.of(), Map.of()))
                .modelConfig().decoupling());
    }

    @Test
    void theEdgesOfTheRangesAreAccepted() {
        StreamfmConfig cfg = StreamfmConfig.load(null, Map.of(), Map.of(Settings.METRICS_PORT.key(), "65535",
                Settings.EMBEDDING_DIM.key(), "1024", Settings.EMBEDDING_LR.key(), "10"));
        assertEquals(65535, cfg.getInt(Settings.METRICS_PORT));
        assertEquals(1024, cfg.getInt(Settings.EMBEDDING_DIM));
    }

    @Test
    void theMetricsEndpointListensOnThisHostOnlyByDefault() {
        assertEquals("127.0.0.1", StreamfmConfig.load(null, Map.of(), Map.of()).get(Settings.METRICS_BIND));
    }
}
