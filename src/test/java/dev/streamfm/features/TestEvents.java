package dev.streamfm.features;

import dev.streamfm.schema.ClickEvent;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Hand-made ClickEvents for tests. */
public final class TestEvents {

    public static final Instant T0 = Instant.ofEpochMilli(1_700_000_000_000L);

    private TestEvents() {
    }

    public static ClickEvent event(String id, Map<String, String> categorical, Map<String, List<String>> multi,
                                   Map<String, Double> numeric, Integer label) {
        // mutable copies: Avro's own decoders hand out mutable maps too
        return new ClickEvent(id, T0, new HashMap<>(categorical), new HashMap<>(multi), new HashMap<>(numeric), label);
    }

    public static ClickEvent categorical(String id, Map<String, String> categorical) {
        return event(id, categorical, Map.of(), Map.of(), null);
    }

    /**
     * A spec with one field of each kind and shape: a (categorical, 5 rows), t (multi, 7 rows,
     * 3 slots), n (numeric log1p, 2 rows), b (numeric bucketized at [0, 10], 4 rows), c
     * (categorical, 2 rows): 20 rows, 7 slots.
     */
    public static FeatureSpec mixedSpec(Limits limits) {
        return new FeatureSpec(List.of(
                FieldSpec.categorical("a", 5),
                FieldSpec.multi("t", 7, 3),
                FieldSpec.numeric("n", NumericTransform.of(NumericTransform.Function.LOG1P)),
                FieldSpec.numeric("b", NumericTransform.bucketized(NumericTransform.Function.NONE, 0, 10)),
                FieldSpec.categorical("c", 2)), limits);
    }
}
