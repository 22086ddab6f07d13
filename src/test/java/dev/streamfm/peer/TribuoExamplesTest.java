package dev.streamfm.peer;

import dev.streamfm.evaluation.LabeledEvent;
import dev.streamfm.features.FeatureSpec;
import dev.streamfm.features.FieldSpec;
import dev.streamfm.features.NumericTransform;
import dev.streamfm.schema.ClickEvent;
import org.junit.jupiter.api.Test;
import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.classification.Label;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Tribuo sees each field of the spec the way StreamFM does, and nothing outside it. */
class TribuoExamplesTest {

    @Test
    void everyKindOfFieldBecomesTheFeaturesOfTheSameSpec() {
        FeatureSpec spec = new FeatureSpec(List.of(
                FieldSpec.categorical("site", 64),
                FieldSpec.multi("tags", 64, 8),
                FieldSpec.numeric("price", NumericTransform.of(NumericTransform.Function.LOG1P)),
                FieldSpec.numeric("age", NumericTransform.bucketized(NumericTransform.Function.NONE, 18, 30, 50))));
        ClickEvent event = new ClickEvent("e1", Instant.EPOCH, Map.of("site", "s7", "unknown", "x"),
                Map.of("tags", List.of("a", "b", "a", "c", "d")), Map.of("price", 9.0, "age", 35.0), null);
        LabeledEvent labeled = new LabeledEvent() {
            @Override
            public ClickEvent event() {
                return event;
            }

            @Override
            public int label() {
                return 1;
            }
        };
        Example<Label> e = new TribuoExamples(spec).of(labeled);
        Map<String, Double> features = new TreeMap<>();
        for (Feature f : e) {
            features.put(f.getName(), f.getValue());
        }
        assertEquals(Map.of("_always", 1.0, "site=s7", 1.0, "tags=a", 0.25, "tags=b", 0.25, "tags=c", 0.25,
                "tags=d", 0.25, "price", (double) (float) Math.log1p(9.0), "age#3", 1.0), features);
        assertEquals("1", e.getOutput().getLabel());
    }
}
