package dev.streamfm.synth;

import java.util.List;
import java.util.Locale;

/**
 * Reference workload shapes (DESIGN section 10).
 *
 * @param fields        number of categorical fields
 * @param idsPerField   distinct values per field in the generator
 * @param bucketsPerField hash buckets per field in the feature spec
 * @param embeddingDim  D of the model trained on it
 * @param hiddenUnits   DNN widths of the model trained on it
 */
public record SynthShape(String name, int fields, int idsPerField, int bucketsPerField, int embeddingDim,
                         List<Integer> hiddenUnits) {

    /** 10 fields, ~6k ids in all (2048 buckets per field keeps hash collisions rare), D=10. */
    public static final SynthShape FRAPPE_LIKE = new SynthShape("frappe-like", 10, 600, 2048, 10, List.of(64, 64, 64));
    /** 39 fields, ~1M buckets in all, D=16, MLP 400-400-400. */
    public static final SynthShape CRITEO_LIKE = new SynthShape("criteo-like", 39, 25_600, 25_641, 16,
            List.of(400, 400, 400));

    public static List<SynthShape> all() {
        return List.of(FRAPPE_LIKE, CRITEO_LIKE);
    }

    public static SynthShape parse(String s) {
        String k = s.trim().toLowerCase(Locale.ROOT);
        for (SynthShape shape : all()) {
            if (shape.name.equals(k) || shape.name.startsWith(k + "-")) {
                return shape;
            }
        }
        throw new IllegalArgumentException("unknown shape '" + s + "'; use frappe-like or criteo-like");
    }

    public long totalBuckets() {
        return (long) fields * bucketsPerField;
    }
}
