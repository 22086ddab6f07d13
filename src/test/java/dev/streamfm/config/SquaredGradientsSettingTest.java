package dev.streamfm.config;

import dev.streamfm.model.LayerKind;
import dev.streamfm.model.ModelConfig;
import dev.streamfm.model.SquaredGradients;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** streamfm.model.squared.gradients reaches the model config; its labels parse back; which tables each covers. */
class SquaredGradientsSettingTest {

    @Test
    void theSettingBecomesTheModelsSquaredGradients() {
        assertEquals(SquaredGradients.FIRST_ORDER,
                ModelSetup.from(StreamfmConfig.load(null, Map.of(), Map.of())).modelConfig().squaredGradients());
        assertEquals(ModelConfig.DEFAULTS.squaredGradients().label(), Settings.SQUARED_GRADIENTS.defaultValue());
        for (SquaredGradients v : SquaredGradients.values()) {
            assertEquals(v, ModelSetup.from(StreamfmConfig.load(null, Map.of(),
                    Map.of(Settings.SQUARED_GRADIENTS.key(), v.label()))).modelConfig().squaredGradients());
            assertEquals(v, SquaredGradients.parse(v.label().toUpperCase()));
        }
        // labels are read as every other enum label is (Labeled): '_' as '-'
        assertEquals(SquaredGradients.FIRST_ORDER, SquaredGradients.parse("first_order"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SquaredGradients.parse("per-example"))
                .getMessage().contains("use one of batch, example, first-order"));
    }

    @Test
    void firstOrderCoversTheBiasAndFirstOrderTablesOnly() {
        assertTrue(SquaredGradients.FIRST_ORDER.perExample(LayerKind.LINEAR));
        assertFalse(SquaredGradients.FIRST_ORDER.perExample(LayerKind.EMBEDDING));
        assertFalse(SquaredGradients.FIRST_ORDER.perExample(LayerKind.FM));
        assertTrue(SquaredGradients.EXAMPLE.perExample(LayerKind.FM));
        assertFalse(SquaredGradients.BATCH.perExample(LayerKind.LINEAR));
    }
}
