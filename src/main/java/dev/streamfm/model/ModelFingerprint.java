package dev.streamfm.model;

import dev.streamfm.features.FeatureSpec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Identifies what a model's parameters mean: the feature spec (fields, kinds, buckets,
 * transforms, so which row is which id) and the parts of the model configuration that shape its
 * variables (type and towers, tables per tower, embedding size, hidden layers, batch norm, optimizer slots). Learning rates,
 * dropout and seeds are left out: a scorer that never trains may differ in them. Model blocks
 * carry it, so a scorer never applies a block of another model that happens to fit.
 */
public final class ModelFingerprint {

    private ModelFingerprint() {
    }

    public static long of(FeatureSpec spec, ModelConfig config) {
        String canonical = spec.fields() + "|" + config.type() + "|" + config.towers() + "|" + config.embeddingDim() + "|"
                + config.hiddenUnits() + "|" + config.batchNorm() + "|" + config.optimizer()
                // Tables per tower change the variables; a variant that always has them says so by its type,
                // and models written before sharing was a setting keep their fingerprint.
                + (config.sharing().separateTables() && !config.type().sharing().separateTables()
                ? "|" + config.sharing().label() : "");
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            long v = ByteBuffer.wrap(digest).getLong();
            return v == 0 ? 1 : v; // 0 marks blocks written before fingerprints
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
