package dev.streamfm.model;

/**
 * Feature admission and expiry (README, "Feature admission and expiry"): which ids of a field get
 * a table row of their own, and when an unused row is taken back.
 *
 * @param minCount       an id is trained on the field's shared row until its minCount-th sighting,
 *                       which is the first on a row of its own; 1 = every id from its first sighting
 * @param expiryExamples an id not seen for this many training examples is forgotten: its row is
 *                       initialised again and free for another id, and its sightings start again
 *                       from 0; 0 = never
 */
public record AdmissionConfig(int minCount, long expiryExamples) {

    /** Sightings are kept as float32 in checkpoints, exact up to 2^24; a larger minimum admits nothing anyway. */
    public static final int MAX_MIN_COUNT = 1 << 24;

    public static final AdmissionConfig OFF = new AdmissionConfig(1, 0);

    public AdmissionConfig {
        if (minCount < 1 || minCount > MAX_MIN_COUNT) {
            throw new IllegalArgumentException("model config: admission-min-count must be in 1.." + MAX_MIN_COUNT
                    + " (1 = every id gets its own row at once), got " + minCount);
        }
        if (expiryExamples < 0) {
            throw new IllegalArgumentException("model config: expiry-examples must be >= 0 (0 = rows never expire), got "
                    + expiryExamples);
        }
    }

    /** False when every id keeps its own row forever: then ids address table rows directly. */
    public boolean enabled() {
        return minCount > 1 || expiryExamples > 0;
    }

    public boolean expires() {
        return expiryExamples > 0;
    }
}
