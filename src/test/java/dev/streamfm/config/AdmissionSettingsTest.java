package dev.streamfm.config;

import dev.streamfm.model.AdmissionConfig;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The admission settings reach the model config, and bad values stop start-up naming the setting. */
class AdmissionSettingsTest {

    @Test
    void settingsBecomeTheModelsAdmissionConfig() {
        StreamfmConfig cfg = StreamfmConfig.load(null, Map.of("STREAMFM_MODEL_EXPIRY_EXAMPLES", "50000"),
                Map.of(Settings.ADMISSION_MIN_COUNT.key(), "3"));
        assertEquals(new AdmissionConfig(3, 50_000), ModelSetup.from(cfg).modelConfig().admission());
    }

    @Test
    void outOfRangeValuesNameTheSettingAndWhatItTakes() {
        ConfigException zero = assertThrows(ConfigException.class,
                () -> StreamfmConfig.load(null, Map.of(), Map.of(Settings.ADMISSION_MIN_COUNT.key(), "0")));
        assertTrue(zero.getMessage().contains("streamfm.model.admission.min.count")
                && zero.getMessage().contains("an integer in 1..16777216"), zero.getMessage());
        ConfigException negative = assertThrows(ConfigException.class,
                () -> StreamfmConfig.load(null, Map.of(), Map.of(Settings.EXPIRY_EXAMPLES.key(), "-5")));
        assertTrue(negative.getMessage().contains("streamfm.model.expiry.examples")
                && negative.getMessage().contains("an integer >= 0"), negative.getMessage());
    }
}
