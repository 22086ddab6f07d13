package dev.streamfm.replay;

import dev.streamfm.features.FeatureSpec;
import dev.streamfm.features.FieldBuckets;
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
 * fields get buckets for a low expected collision rate ({@link FieldBuckets#sized}), at most
 * {@code maxBuckets}. Distinct values are counted only up to {@code maxBuckets}, which bounds the
 * memory of the scan. Rare ids are most of a real log's ids, and an id that shares its row learns
 * its neighbour's weight: with 2 x distinct + 1 buckets, 39% of the ids did. For control over
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
     * @param buckets the categorical fields' ids and buckets, in spec order
     */
    public record Result(FeatureSpec spec, long lines, long records, List<FieldBuckets> buckets) {
        public Result {
            buckets = List.copyOf(buckets);
        }
    }

    public static Result infer(Path file, LogFormat format, ReaderOptions options, int maxBuckets) throws IOException {
        if (maxBuckets < 2) {
            throw new IllegalArgumentException("--buckets must be >= 2, got " + maxBuckets);
        }
        Map<String, Set<String>> categorical = new LinkedHashMap<>();
        Map<String, Boolean> numeric = new LinkedHashMap<>();
        try (LogReader reader = LogReader.open(file, format, options, problem -> { })) {
            while (reader.hasNext()) {
                LogRecord r = reader.next();
                r.event().getCategorical().forEach((field, value) -> {
                    Set<String> values = categorical.computeIfAbsent(field, k -> new HashSet<>());
                    if (values.size() < maxBuckets) {
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
            List<FieldBuckets> buckets = new ArrayList<>();
            categorical.forEach((field, values) -> {
                FieldBuckets b = FieldBuckets.sized(field, values.size(), values.size() >= maxBuckets, maxBuckets);
                buckets.add(b);
                fields.add(FieldSpec.categorical(field, b.buckets()));
            });
            numeric.keySet().forEach(field -> fields.add(FieldSpec.numeric(field,
                    NumericTransform.of(NumericTransform.Function.LOG1P))));
            return new Result(new FeatureSpec(fields), reader.lines(), reader.records(), buckets);
        }
    }
}
