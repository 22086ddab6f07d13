package dev.streamfm.replay;

import dev.streamfm.features.FeatureSpec;
import dev.streamfm.features.FieldSpec;
import dev.streamfm.features.NumericTransform;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A feature spec read off a log file when none is given, in one pass over it: every field seen
 * becomes a spec field (categorical ones first, each kind in order of first appearance); numeric
 * fields get the log1p transform (sign-preserving, so negative counts stay defined), categorical
 * fields get {@code 2 * distinct values + 1} buckets, at most {@code maxBuckets} (distinct values are
 * counted only up to that bound, which also bounds the memory of the scan). For control over
 * buckets, clipping or bucketized numbers, write a spec file (config/features-*.yaml).
 */
public final class SpecInference {

    private SpecInference() {
    }

    /**
     * The inferred spec and what the scan saw.
     *
     * @param lines   lines in the file, the header included
     * @param records lines that parsed; the others are reported by the reading pass itself
     */
    public record Result(FeatureSpec spec, long lines, long records) {
    }

    public static Result infer(Path file, LogFormat format, ReaderOptions options, int maxBuckets) throws IOException {
        if (maxBuckets < 2) {
            throw new IllegalArgumentException("--buckets must be >= 2, got " + maxBuckets);
        }
        Map<String, Set<String>> categorical = new LinkedHashMap<>();
        Map<String, Boolean> numeric = new LinkedHashMap<>();
        int maxDistinct = (maxBuckets - 1) / 2;
        try (LogReader reader = LogReader.open(file, format, options, problem -> { })) {
            while (reader.hasNext()) {
                LogRecord r = reader.next();
                r.event().getCategorical().forEach((field, value) -> {
                    Set<String> values = categorical.computeIfAbsent(field, k -> new HashSet<>());
                    if (values.size() < maxDistinct) {
                        values.add(value);
                    }
                });
                r.event().getNumeric().keySet().forEach(field -> numeric.putIfAbsent(field, true));
            }
            if (categorical.isEmpty() && numeric.isEmpty()) {
                throw new LogFileException(file + " has no usable line with features; nothing to infer a feature "
                        + "spec from (" + reader.badLines() + " bad lines)");
            }
            List<FieldSpec> fields = new ArrayList<>();
            categorical.forEach((field, values) -> fields.add(FieldSpec.categorical(field,
                    (int) Math.min(maxBuckets, 2L * values.size() + 1))));
            numeric.keySet().forEach(field -> fields.add(FieldSpec.numeric(field,
                    NumericTransform.of(NumericTransform.Function.LOG1P))));
            return new Result(new FeatureSpec(fields), reader.lines(), reader.records());
        }
    }
}
