package dev.streamfm.config;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The *.ms settings take durations and still read as integer milliseconds. */
class MillisSettingTest {

    private static StreamfmConfig load(Map<String, String> env, Map<String, String> flags) {
        return StreamfmConfig.load(null, env, flags);
    }

    @Test
    void bareIntegersAreMillisecondsAsBefore() {
        StreamfmConfig cfg = load(Map.of(), Map.of(Settings.ATTRIBUTION_MS.key(), "5000"));
        assertEquals(5000, cfg.getInt(Settings.ATTRIBUTION_MS));
    }

    @Test
    void durationsFromFlagsAndEnvironmentBecomeMilliseconds() {
        StreamfmConfig cfg = load(Map.of("STREAMFM_LABELING_GRACE_MS", "2m"),
                Map.of(Settings.ATTRIBUTION_MS.key(), "15m", Settings.SCORING_MAX_MS.key(), "PT0.02S",
                        Settings.COMMIT_MS.key(), "1s"));
        assertEquals(900_000, cfg.getInt(Settings.ATTRIBUTION_MS));
        assertEquals(120_000L, cfg.getLong(Settings.GRACE_MS));
        assertEquals(20, cfg.getInt(Settings.SCORING_MAX_MS));
        assertEquals(1000, cfg.getInt(Settings.COMMIT_MS));
        assertTrue(cfg.describe().contains("streamfm.labeling.window.ms=900000"), cfg.describe());
    }

    @Test
    void defaultsAreTheOldIntegers() {
        StreamfmConfig cfg = load(Map.of(), Map.of());
        assertEquals(900_000, cfg.getInt(Settings.ATTRIBUTION_MS));
        assertEquals(30_000L, cfg.getLong(Settings.GRACE_MS));
        assertEquals(1000L, cfg.getLong(Settings.TRAINING_MAX_MS));
    }

    @Test
    void aBadDurationIsOneLineNamingTheKeyAndTheForm() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> load(Map.of(), Map.of(Settings.ATTRIBUTION_MS.key(), "50x")));
        assertTrue(e.getMessage().startsWith("streamfm.labeling.window.ms=50x is invalid: expected a duration such "
                + "as 500ms, 50s, 2m, 1h"), e.getMessage());
        assertTrue(e.getMessage().contains("env STREAMFM_LABELING_WINDOW_MS"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void boundsHold() {
        assertThrows(ConfigException.class, () -> load(Map.of(), Map.of(Settings.ATTRIBUTION_MS.key(), "0s")));
        assertEquals(0L, load(Map.of(), Map.of(Settings.GRACE_MS.key(), "0s")).getLong(Settings.GRACE_MS));
        // Readers take some of these as an int: more than 24 days would overflow.
        assertThrows(ConfigException.class, () -> load(Map.of(), Map.of(Settings.ATTRIBUTION_MS.key(), "25d")));
    }

    @Test
    void withKeepsCanonicalValues() {
        StreamfmConfig cfg = load(Map.of(), Map.of(Settings.ATTRIBUTION_MS.key(), "5s"))
                .with(Map.of(Settings.GRACE_MS.key(), "1s"));
        assertEquals(5000, cfg.getInt(Settings.ATTRIBUTION_MS));
        assertEquals(1000L, cfg.getLong(Settings.GRACE_MS));
    }
}
