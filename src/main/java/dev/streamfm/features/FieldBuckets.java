package dev.streamfm.features;

/**
 * The hash buckets of a categorical field sized for the ids a scan saw, and how often those ids
 * are expected to share a row.
 *
 * @param field      field name
 * @param ids        distinct values seen; a lower bound when {@code idsCapped}
 * @param idsCapped  the scan stopped counting at the bucket cap, so there may be more ids
 * @param buckets    hash buckets of the field
 */
public record FieldBuckets(String field, long ids, boolean idsCapped, int buckets) {

    /** Share of ids expected to collide, the figure the sizing aims at. */
    public static final double TARGET_COLLISION_SHARE = 0.01;

    /**
     * Buckets for {@code ids} ids: the fewest that keep the expected collision share at or below
     * {@link #TARGET_COLLISION_SHARE} (about 100 per id), at least 2 x ids + 1, at most {@code maxBuckets}.
     */
    public static FieldBuckets sized(String field, long ids, boolean idsCapped, int maxBuckets) {
        long wanted = ids < 2 ? 2 * ids + 1
                : Math.max(2 * ids + 1, (long) Math.ceil(1 / (1 - Math.pow(1 - TARGET_COLLISION_SHARE, 1.0 / (ids - 1)))));
        return new FieldBuckets(field, ids, idsCapped, (int) Math.min(maxBuckets, wanted));
    }

    /**
     * Expected share of ids that share their bucket with another, under a uniform hash:
     * 1 - (1 - 1/m)^(n - 1) for n ids in m buckets. A lower bound when the ids are.
     */
    public double expectedCollisionShare() {
        return ids < 2 ? 0 : -Math.expm1((ids - 1) * Math.log1p(-1.0 / buckets));
    }
}
