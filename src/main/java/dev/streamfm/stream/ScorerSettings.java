package dev.streamfm.stream;

import dev.streamfm.config.Settings;
import dev.streamfm.model.DelayedFeedback;
import dev.streamfm.config.StreamfmConfig;

import java.time.Duration;

/**
 * The scorer's share of the configuration.
 *
 * @param dropDuplicates only under exactly-once, where the attribution stores that recognise a
 *                       duplicate commit together with the input offsets. Under at-least-once a
 *                       crash can leave an event held whose prediction never reached the topic:
 *                       its redelivery must pass (duplicates are what at-least-once allows).
 */
record ScorerSettings(String modelName, int batchSize, Duration batchMaxWait, long windowMs, long graceMs,
                      long labelIdleMs, DelayedFeedback feedback, boolean dropDuplicates) {

    static ScorerSettings from(StreamfmConfig cfg) {
        return new ScorerSettings(cfg.get(Settings.MODEL_NAME), cfg.getInt(Settings.SCORING_BATCH),
                Duration.ofMillis(cfg.getInt(Settings.SCORING_MAX_MS)), cfg.getInt(Settings.ATTRIBUTION_MS),
                cfg.getLong(Settings.GRACE_MS), cfg.getLong(Settings.LABEL_IDLE_MS),
                DelayedFeedback.parse(cfg.get(Settings.FEEDBACK)),
                cfg.exactlyOnce());
    }
}
