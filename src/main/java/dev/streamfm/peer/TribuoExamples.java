package dev.streamfm.peer;

import dev.streamfm.evaluation.LabeledEvent;
import dev.streamfm.features.FeatureSpec;
import dev.streamfm.features.FieldSpec;
import dev.streamfm.features.NumericTransform;
import dev.streamfm.schema.ClickEvent;
import org.tribuo.Example;
import org.tribuo.classification.Label;
import org.tribuo.impl.ArrayExample;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns the events StreamFM reads into Tribuo examples with the fields and numeric transforms of
 * the same feature spec, so both learners see the same information: a categorical value becomes
 * the one-hot feature {@code field=value} (Tribuo keeps exact ids where StreamFM hashes them), a
 * multi field's values share a weight of 1, a numeric field gives its transformed value or its
 * bucket; fields outside the spec are left out, as StreamFM leaves them.
 */
final class TribuoExamples {

    static final String POSITIVE = "1";
    /**
     * Every example carries this constant feature: Tribuo refuses to predict an example none of
     * whose features it saw in training, which a stream of fresh ids produces.
     */
    private static final String ALWAYS = "_always";

    private final FeatureSpec spec;

    TribuoExamples(FeatureSpec spec) {
        this.spec = spec;
    }

    Example<Label> of(LabeledEvent e) {
        ClickEvent event = e.event();
        List<String> names = new ArrayList<>(spec.fields().size() + 1);
        List<Double> values = new ArrayList<>(spec.fields().size() + 1);
        names.add(ALWAYS);
        values.add(1.0);
        for (FieldSpec field : spec.fields()) {
            switch (field.kind()) {
                case CATEGORICAL -> {
                    String v = event.getCategorical().get(field.name());
                    if (v != null) {
                        names.add(field.name() + "=" + v);
                        values.add(1.0);
                    }
                }
                case MULTI -> {
                    // each value weighted 1/n, as StreamFM pools a multi field's embeddings
                    List<String> vs = event.getMulti().getOrDefault(field.name(), List.of()).stream().distinct()
                            .toList();
                    for (String v : vs) {
                        names.add(field.name() + "=" + v);
                        values.add(1.0 / vs.size());
                    }
                }
                case NUMERIC -> {
                    Double x = event.getNumeric().get(field.name());
                    if (x != null) {
                        NumericTransform t = field.transform();
                        double y = t.apply(x);
                        names.add(t.isBucketized() ? field.name() + "#" + t.row(y) : field.name());
                        values.add((double) t.value(y));
                    }
                }
            }
        }
        double[] v = new double[values.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = values.get(i);
        }
        return new ArrayExample<>(new Label(e.label() == 1 ? POSITIVE : "0"), names.toArray(String[]::new), v);
    }
}
