package dev.streamfm.stream;

import dev.streamfm.config.ModelSetup;
import dev.streamfm.config.Settings;
import dev.streamfm.config.StreamfmConfig;
import dev.streamfm.model.AnalysisCadence;

/**
 * The trainer's share of the configuration.
 *
 * @param qualityWindow examples in the rolling window of the online AUC and log loss each checkpoint reports
 */
public record TrainerSettings(String modelName, int batchSize, long batchMaxMs, int checkpointIntervalMs,
                              int blockRows, AnalysisCadence analysis, long fingerprint, int qualityWindow) {

    public static TrainerSettings from(StreamfmConfig cfg) {
        return new TrainerSettings(cfg.get(Settings.MODEL_NAME), cfg.getInt(Settings.TRAINING_BATCH),
                cfg.getLong(Settings.TRAINING_MAX_MS), cfg.getInt(Settings.CHECKPOINT_MS),
                cfg.getInt(Settings.BLOCK_ROWS),
                new AnalysisCadence(cfg.getLong(Settings.ANALYSIS_EVERY), cfg.getLong(Settings.ANALYSIS_LAYERS_EVERY)),
                ModelSetup.from(cfg).fingerprint(), cfg.getInt(Settings.METRICS_WINDOW));
    }
}
