package dev.streamfm.synth;

import dev.streamfm.schema.ClickEvent;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * Planted-teacher click stream (README, Offline evaluation). Field {@code f<i>} of every event takes value
 * {@code v<r>} with Zipf-distributed rank r (on a shape whose id space grows, also fresh ids
 * {@code n<k>}, see {@link IdGrowth}); the label is drawn from the teacher's probability.
 * Event i depends only on (seed, i), so the stream is reproducible and random-access: any window
 * can be regenerated, e.g. to compute its Bayes-optimal reference.
 */
public final class SyntheticGenerator {

    private static final long EVENTS = 3;

    private final SynthShape shape;
    private final SynthConfig config;
    private final FieldValues values;
    private final Teacher teacher;
    private final List<String> fieldNames;

    public SyntheticGenerator(SynthShape shape, SynthConfig config) {
        this.shape = shape;
        this.config = config;
        values = new FieldValues(shape, config.zipfExponent());
        teacher = new Teacher(shape, config, values);
        fieldNames = fieldNames(shape.fields());
    }

    /** f0..f{n-1}: the field names FeatureSpec.forShape uses too. */
    public static List<String> fieldNames(int fields) {
        List<String> names = new ArrayList<>(fields);
        for (int f = 0; f < fields; f++) {
            names.add("f" + f);
        }
        return List.copyOf(names);
    }

    /** The string a head value of rank r is emitted as (a fresh id k of a growing shape is n&lt;k&gt;). */
    public static String valueName(int rank) {
        return "v" + rank;
    }

    public SynthShape shape() {
        return shape;
    }

    public SynthConfig config() {
        return config;
    }

    public List<String> fieldNames() {
        return fieldNames;
    }

    /** Every field's distribution of head values (rank r is emitted as {@link #valueName(int)}). */
    public ZipfDistribution valueDistribution() {
        return values.head();
    }

    public SyntheticExample example(long index) {
        if (index < 0) {
            throw new IllegalArgumentException("event index must be >= 0, got " + index);
        }
        SplittableRandom r = Seeds.stream(config.seed(), EVENTS, index);
        int[] rows = new int[shape.fields()];
        Map<String, String> categorical = new HashMap<>(2 * rows.length);
        for (int f = 0; f < rows.length; f++) {
            long value = values.sample(r, index);
            rows[f] = values.row(value);
            categorical.put(fieldNames.get(f), values.name(value));
        }
        double p = teacher.probability(rows, config.drift().angle(index));
        int label = r.nextDouble() < p ? 1 : 0;
        ClickEvent event = new ClickEvent("s" + config.seed() + "-" + index, config.start().plusMillis(index),
                categorical, Map.of(), Map.of(), null);
        return new SyntheticExample(event, label, p);
    }

    /** Events [from, to), generated lazily. */
    public Iterator<SyntheticExample> examples(long from, long to) {
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("bad event range [" + from + ", " + to + ")");
        }
        return new Iterator<>() {
            private long next = from;

            @Override
            public boolean hasNext() {
                return next < to;
            }

            @Override
            public SyntheticExample next() {
                if (next >= to) {
                    throw new NoSuchElementException();
                }
                return example(next++);
            }
        };
    }
}
