package dev.streamfm.features;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Where a field arrives in a ClickEvent and how it becomes embedding rows. */
public enum FieldKind {
    /** One string per event (ClickEvent.categorical), hashed into buckets. */
    CATEGORICAL,
    /** A list of strings per event (ClickEvent.multi), each hashed, pooled with weight 1/n. */
    MULTI,
    /** A double per event (ClickEvent.numeric), transformed, optionally bucketized. */
    NUMERIC;

    /** The spelling used in the spec file. */
    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The ClickEvent map the field arrives in. */
    public String eventMap() {
        return switch (this) {
            case CATEGORICAL -> "categorical";
            case MULTI -> "multi";
            case NUMERIC -> "numeric";
        };
    }

    public static FieldKind parse(String field, String kind) {
        for (FieldKind k : values()) {
            if (k.yamlName().equals(kind)) {
                return k;
            }
        }
        throw new FeatureSpecException("field '" + field + "': unknown kind '" + kind + "'; use one of "
                + Arrays.stream(values()).map(FieldKind::yamlName).collect(Collectors.joining(", ")));
    }
}
