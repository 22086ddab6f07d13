package dev.streamfm.features;

import dev.streamfm.synth.SynthShape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FeatureSpecTest {

    private static final Path CONFIG = Path.of("config");

    @Test
    void parsesEveryKindAndKey() {
        FeatureSpec spec = FeatureSpec.parse("""
                limits: {max_string_length: 64, max_map_entries: 50, max_values_per_field: 20, max_record_bytes: 4096}
                fields:
                  - {name: app, kind: categorical, buckets: 1000}
                  - name: tags
                    kind: multi
                    buckets: 500
                    max_values: 4
                  - {name: price, kind: numeric, transform: log1p, clip: {min: 0, max: 1e6}}
                  - {name: age, kind: numeric, boundaries: [18, 25.5, 65]}
                  - {name: raw, kind: numeric}
                """);
        FeatureSpec expected = new FeatureSpec(List.of(
                FieldSpec.categorical("app", 1000),
                FieldSpec.multi("tags", 500, 4),
                FieldSpec.numeric("price", NumericTransform.of(NumericTransform.Function.LOG1P).withClip(0, 1e6)),
                FieldSpec.numeric("age", NumericTransform.bucketized(NumericTransform.Function.NONE, 18, 25.5, 65)),
                FieldSpec.numeric("raw", NumericTransform.RAW)),
                new Limits(64, 50, 20, 4096));
        assertEquals(expected, spec);
    }

    @Test
    void limitsDefaultWhenAbsentAndPerKey() {
        assertEquals(Limits.DEFAULT, FeatureSpec.parse("fields: [{name: a, kind: categorical, buckets: 2}]").limits());
        Limits partial = FeatureSpec.parse("limits: {max_map_entries: 7}\nfields: [{name: a, kind: categorical, "
                + "buckets: 2}]").limits();
        assertEquals(new Limits(Limits.DEFAULT.maxStringLength(), 7, Limits.DEFAULT.maxValuesPerField(),
                Limits.DEFAULT.maxRecordBytes()), partial);
    }

    static Stream<Arguments> invalidSpecs() {
        String cat = "{name: x, kind: categorical, buckets: 10}";
        return Stream.of(
                Arguments.of("", List.of("feature spec is empty", "'fields:'")),
                Arguments.of("fields: []", List.of("has no fields", "list at least one under 'fields:'")),
                Arguments.of("fieldz: []", List.of("unknown key 'fieldz'", "allowed: fields, limits")),
                Arguments.of("fields: {a: 1}", List.of("'fields' must be a list", "got a mapping")),
                Arguments.of("fields: [abc]", List.of("fields[0] must be a mapping with name and kind", "'abc'")),
                Arguments.of("fields: [{kind: categorical, buckets: 3}]",
                        List.of("fields[0] has no name", "add 'name: <field>'")),
                Arguments.of("fields: [{name: 'a b', kind: categorical, buckets: 3}]",
                        List.of("field name 'a b' is invalid", "letters, digits")),
                Arguments.of("fields: [{name: x, buckets: 3}]",
                        List.of("field 'x' has no kind", "'kind: categorical'")),
                Arguments.of("fields: [{name: x, kind: cat, buckets: 3}]",
                        List.of("field 'x': unknown kind 'cat'", "use one of categorical, multi, numeric")),
                Arguments.of("fields: [" + cat + ", " + cat + "]",
                        List.of("field 'x' is defined twice", "field names must be unique")),
                Arguments.of("fields: [{name: x, kind: categorical, buckets: 1}]",
                        List.of("field 'x' (categorical) needs 'buckets: N' with N >= 2", "missing row", "got 1")),
                Arguments.of("fields: [{name: x, kind: multi, max_values: 2}]",
                        List.of("field 'x' (multi) needs 'buckets: N' with N >= 2")),
                Arguments.of("fields: [{name: x, kind: categorical, buckets: abc}]",
                        List.of("field 'x': buckets must be an integer, got 'abc'")),
                Arguments.of("fields: [{name: x, kind: categorical, buckets: 2.5}]",
                        List.of("field 'x': buckets must be an integer, got '2.5'")),
                Arguments.of("fields: [{name: x, kind: categorical, buckets: 3000000000}]",
                        List.of("field 'x': buckets must be an integer")),
                Arguments.of("fields: [{name: tags, kind: multi, buckets: 10}]",
                        List.of("field 'tags' (multi) needs 'max_values: N' with N >= 1", "input slots")),
                Arguments.of("fields: [{name: tags, kind: multi, buckets: 10, max_values: -1}]",
                        List.of("field 'tags' (multi) needs 'max_values: N'", "got -1")),
                Arguments.of("fields: [{name: x, kind: categorical, buckets: 10, max_values: 3}]",
                        List.of("field 'x' (categorical): max_values applies only to multi fields; remove it")),
                Arguments.of("fields: [{name: n, kind: numeric, buckets: 10}]",
                        List.of("field 'n' (numeric) takes no buckets", "remove 'buckets'")),
                Arguments.of("fields: [{name: x, kind: categorical, buckets: 10, transform: log1p}]",
                        List.of("field 'x' (categorical): transform, clip and boundaries apply only to numeric",
                                "remove them")),
                Arguments.of("fields: [{name: n, kind: numeric, transform: log}]",
                        List.of("field 'n': unknown transform 'log'", "use none or log1p", "boundaries")),
                Arguments.of("fields: [{name: n, kind: numeric, boundaries: [1, 3, 2]}]",
                        List.of("field 'n': boundaries must be strictly increasing", "2.0 follows 3.0 at position 2",
                                "sort them and drop duplicates")),
                Arguments.of("fields: [{name: n, kind: numeric, boundaries: [1, 1]}]",
                        List.of("field 'n': boundaries must be strictly increasing", "1.0 follows 1.0")),
                Arguments.of("fields: [{name: n, kind: numeric, boundaries: []}]",
                        List.of("field 'n': boundaries must be a non-empty list", "remove the key")),
                Arguments.of("fields: [{name: n, kind: numeric, boundaries: 5}]",
                        List.of("field 'n': boundaries must be a non-empty list")),
                Arguments.of("fields: [{name: n, kind: numeric, boundaries: [a]}]",
                        List.of("field 'n': boundaries[0] must be a number, got 'a'")),
                Arguments.of("fields: [{name: n, kind: numeric, clip: {min: 5, max: 1}}]",
                        List.of("field 'n': clip min (5.0) must be below clip max (1.0)")),
                Arguments.of("fields: [{name: n, kind: numeric, clip: [0, 1]}]",
                        List.of("field 'n': clip must be a mapping like {min: 0, max: 100}")),
                Arguments.of("fields: [{name: n, kind: numeric, clip: {lo: 1}}]",
                        List.of("field 'n': clip: unknown key 'lo'; allowed: min, max")),
                Arguments.of("fields: [{name: x, kind: categorical, bucket: 10}]",
                        List.of("field 'x': unknown key 'bucket'; allowed: name, kind, buckets, max_values")),
                Arguments.of("limits: {max_strings: 3}\nfields: [" + cat + "]",
                        List.of("limits: unknown key 'max_strings'; allowed: max_string_length")),
                Arguments.of("limits: {max_map_entries: 0}\nfields: [" + cat + "]",
                        List.of("limits.max_map_entries must be >= 1, got 0")),
                Arguments.of("limits: {max_record_bytes: big}\nfields: [" + cat + "]",
                        List.of("limits.max_record_bytes must be an integer, got 'big'")),
                Arguments.of("limits: 5\nfields: [" + cat + "]", List.of("limits must be a mapping")),
                Arguments.of("limits: {max_values_per_field: 10}\nfields: [{name: t, kind: multi, buckets: 5, "
                                + "max_values: 20}]",
                        List.of("field 't': max_values 20 exceeds limits.max_values_per_field 10",
                                "lower max_values or raise the limit")),
                Arguments.of("fields: [{name: a, kind: categorical, buckets: 2000000000}, "
                                + "{name: b, kind: categorical, buckets: 2000000000}]",
                        List.of("4000000000 table rows in all", "lower the buckets")),
                Arguments.of("fields: [" + cat + "]\ngroups: {deep: [y]}",
                        List.of("groups.deep names 'y', which is not a field", "add a field 'y' under fields:",
                                "or remove it from groups.deep")),
                Arguments.of("fields: [" + cat + "]\ngroups: {wide: [x, x]}",
                        List.of("groups.wide lists 'x' twice; list each field once")),
                Arguments.of("fields: [" + cat + "]\ngroups: {wide: []}",
                        List.of("groups.wide is empty", "remove groups.wide to feed it every field")),
                Arguments.of("fields: [" + cat + "]\ngroups: {fm: [x]}",
                        List.of("groups.fm has only 'x'", "list at least two")),
                Arguments.of("fields: [" + cat + "]\ngroups: {dep: [x]}",
                        List.of("groups: unknown key 'dep'; allowed: wide, fm, deep")),
                Arguments.of("fields: [" + cat + "]\ngroups: {deep: x}",
                        List.of("groups.deep must be a list of field names like [user, item], got 'x'")),
                Arguments.of("fields: [" + cat + "]\ngroups: [x]", List.of("groups must be a mapping of wide, fm, deep")),
                Arguments.of("fields: [", List.of("feature spec is not valid YAML at line")),
                Arguments.of("fields: [{name: x, kind: categorical, buckets: 3, buckets: 4}]",
                        List.of("not valid YAML", "buckets")));
    }

    @ParameterizedTest
    @MethodSource("invalidSpecs")
    void invalidSpecsNameTheFieldAndTheFix(String yaml, List<String> fragments) {
        FeatureSpecException e = assertThrows(FeatureSpecException.class, () -> FeatureSpec.parse(yaml));
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), "'" + e.getMessage() + "' lacks '" + fragment + "'");
        }
    }

    @Test
    void loadPrefixesErrorsWithThePath(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("spec.yaml");
        Files.writeString(file, "fields: [{name: x, kind: categorical, buckets: 1}]");
        FeatureSpecException e = assertThrows(FeatureSpecException.class, () -> FeatureSpec.load(file));
        assertTrue(e.getMessage().startsWith(file + ": field 'x' (categorical) needs"), e.getMessage());
        Path absent = dir.resolve("absent.yaml");
        e = assertThrows(FeatureSpecException.class, () -> FeatureSpec.load(absent));
        assertEquals("feature spec " + absent + " does not exist", e.getMessage());
    }

    @Test
    void groupsReachTheLayoutAndDefaultToEveryField() {
        FeatureSpec spec = FeatureSpec.parse("""
                fields:
                  - {name: a, kind: categorical, buckets: 3}
                  - {name: b, kind: categorical, buckets: 3}
                  - {name: c, kind: categorical, buckets: 3}
                groups:
                  wide: [c, a]
                  deep: [b]
                """);
        FieldGroups groups = spec.layout().groups();
        assertArrayEquals(new int[] {0, 2}, groups.fields(FieldGroup.WIDE));
        assertArrayEquals(new int[] {1}, groups.fields(FieldGroup.DEEP));
        assertArrayEquals(new int[] {0, 1, 2}, groups.fields(FieldGroup.FM));
        assertEquals(FieldGroups.all(3), FeatureSpec.parse("fields: [{name: a, kind: categorical, buckets: 3}, "
                + "{name: b, kind: categorical, buckets: 3}, {name: c, kind: categorical, buckets: 3}]").groups());
    }

    @Test
    void frappeConfigIsTheSyntheticShape() {
        assertEquals(FeatureSpec.forShape(SynthShape.FRAPPE_LIKE),
                FeatureSpec.load(CONFIG.resolve("features-frappe-like.yaml")));
    }

    @Test
    void criteoConfigHasThirteenLogBucketizedCountsAndTwentySixCategoricals() {
        FeatureSpec spec = FeatureSpec.load(CONFIG.resolve("features-criteo-like.yaml"));
        assertEquals(39, spec.fields().size());
        double[] boundaries = new double[33];
        for (int i = 0; i < boundaries.length; i++) {
            boundaries[i] = 0.5 * i;
        }
        for (int i = 0; i < 13; i++) {
            assertEquals(FieldSpec.numeric("I" + (i + 1),
                    NumericTransform.bucketized(NumericTransform.Function.LOG1P, boundaries)), spec.fields().get(i));
        }
        for (int i = 0; i < 26; i++) {
            assertEquals(FieldSpec.categorical("C" + (i + 1), 38_400), spec.fields().get(13 + i));
        }
        assertEquals(13 * 35 + 26 * 38_400, spec.layout().totalRows());
        assertEquals(Limits.DEFAULT, spec.limits());
    }

    @Test
    void forShapeGivesCategoricalFieldsWithTheShapesBuckets() {
        FeatureSpec spec = FeatureSpec.forShape(SynthShape.CRITEO_LIKE);
        assertEquals(39, spec.fields().size());
        assertEquals(FieldSpec.categorical("f38", 25_641), spec.fields().get(38));
        FeatureLayout layout = spec.layout();
        assertTrue(layout.oneSlotPerField());
        assertEquals(SynthShape.CRITEO_LIKE.totalBuckets(), layout.totalRows());
        assertEquals(38 * 25_641, layout.fieldOffset()[38]);
    }

    @Test
    void layoutPutsFieldsBackToBackWithMultiSlotsTogether() {
        FeatureSpec spec = new FeatureSpec(List.of(
                FieldSpec.categorical("a", 5),
                FieldSpec.multi("t", 7, 3),
                FieldSpec.numeric("n", NumericTransform.RAW),
                FieldSpec.numeric("b", NumericTransform.bucketized(NumericTransform.Function.NONE, 0, 10)),
                FieldSpec.categorical("c", 2)));
        FeatureLayout layout = spec.layout();
        assertEquals(List.of("a", "t", "n", "b", "c"), layout.fieldNames());
        assertArrayEquals(new int[] {5, 7, 2, 4, 2}, layout.fieldRows());
        assertArrayEquals(new int[] {0, 5, 12, 14, 18}, layout.fieldOffset());
        assertArrayEquals(new int[] {0, 1, 1, 1, 2, 3, 4}, layout.fieldOfSlot());
        assertEquals(20, layout.totalRows());
        assertEquals(7, spec.slots());
    }
}
