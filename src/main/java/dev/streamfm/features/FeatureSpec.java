package dev.streamfm.features;

import dev.streamfm.synth.SynthShape;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which ClickEvent fields the model reads, how each becomes embedding-table rows, and which
 * parts of the model each feeds. Written as YAML (see config/features-*.yaml); {@link #layout()}
 * is all a model needs of it.
 */
public record FeatureSpec(List<FieldSpec> fields, Limits limits, FieldGroups groups) {

    public FeatureSpec {
        fields = List.copyOf(fields);
        if (fields.isEmpty()) {
            throw new FeatureSpecException("feature spec has no fields; list at least one under 'fields:'");
        }
        if (limits == null) {
            throw new FeatureSpecException("feature spec needs limits; use Limits.DEFAULT");
        }
        Set<String> names = new HashSet<>();
        long rows = 0;
        for (FieldSpec f : fields) {
            if (!names.add(f.name())) {
                throw new FeatureSpecException("field '" + f.name() + "' is defined twice; field names must be "
                        + "unique");
            }
            if (f.maxValues() > limits.maxValuesPerField()) {
                throw new FeatureSpecException("field '" + f.name() + "': max_values " + f.maxValues()
                        + " exceeds limits.max_values_per_field " + limits.maxValuesPerField()
                        + "; lower max_values or raise the limit");
            }
            rows += f.rows();
        }
        if (rows > Integer.MAX_VALUE) {
            throw new FeatureSpecException("feature spec has " + rows + " table rows in all, more than "
                    + Integer.MAX_VALUE + "; lower the buckets");
        }
        if (groups == null) {
            groups = FieldGroups.all(fields.size());
        }
    }

    public FeatureSpec(List<FieldSpec> fields, Limits limits) {
        this(fields, limits, null);
    }

    public FeatureSpec(List<FieldSpec> fields) {
        this(fields, Limits.DEFAULT);
    }

    /** Reads a spec file; errors name the file, the field and the fix. */
    public static FeatureSpec load(Path yaml) {
        String text;
        try {
            text = Files.readString(yaml, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new FeatureSpecException("feature spec " + yaml + " does not exist", e);
        } catch (IOException e) {
            throw new FeatureSpecException("cannot read feature spec " + yaml + ": " + e.getMessage(), e);
        }
        try {
            return parse(text);
        } catch (FeatureSpecException e) {
            throw new FeatureSpecException(yaml + ": " + e.getMessage(), e);
        }
    }

    public static FeatureSpec parse(String yaml) {
        return FeatureSpecYaml.parse(yaml);
    }

    /** The spec as YAML, every key explicit: {@link #parse} reads it back, and equal specs write equal YAML. */
    public String toYaml() {
        return FeatureSpecYaml.write(this);
    }

    /** The categorical spec of a synthetic workload: fields f0..f(n-1), bucketsPerField rows each. */
    public static FeatureSpec forShape(SynthShape shape) {
        List<FieldSpec> fields = new ArrayList<>(shape.fields());
        for (int f = 0; f < shape.fields(); f++) {
            fields.add(FieldSpec.categorical("f" + f, shape.bucketsPerField()));
        }
        return new FeatureSpec(fields);
    }

    /** Fields back to back in the table and in the slots, in spec order. */
    public FeatureLayout layout() {
        List<String> names = new ArrayList<>(fields.size());
        int[] offsets = new int[fields.size()];
        int[] rows = new int[fields.size()];
        int[] fieldOfSlot = new int[slots()];
        int nextRow = 0;
        int nextSlot = 0;
        for (int f = 0; f < fields.size(); f++) {
            FieldSpec field = fields.get(f);
            names.add(field.name());
            offsets[f] = nextRow;
            rows[f] = field.rows();
            nextRow += rows[f];
            for (int s = 0; s < field.slots(); s++) {
                fieldOfSlot[nextSlot++] = f;
            }
        }
        return new FeatureLayout(names, fieldOfSlot, offsets, rows, groups);
    }

    /** Input slots per example. */
    public int slots() {
        int n = 0;
        for (FieldSpec f : fields) {
            n += f.slots();
        }
        return n;
    }
}
