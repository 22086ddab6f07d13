package dev.streamfm.features;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Reads and writes the YAML form of a {@link FeatureSpec}; the records check the semantics. */
final class FeatureSpecYaml {

    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

    private static final List<String> TOP_KEYS = List.of("fields", "limits", "groups");
    private static final List<String> FIELD_KEYS = List.of("name", "kind", "buckets", "max_values", "transform",
            "clip", "boundaries");
    private static final List<String> LIMIT_KEYS = List.of("max_string_length", "max_map_entries",
            "max_values_per_field", "max_record_bytes");
    private static final List<String> CLIP_KEYS = List.of("min", "max");

    private FeatureSpecYaml() {
    }

    static FeatureSpec parse(String yaml) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JacksonException e) {
            JsonLocation at = e.getLocation();
            throw new FeatureSpecException("feature spec is not valid YAML" + (at == null ? "" : " at line "
                    + at.getLineNr() + ", column " + at.getColumnNr()) + ": " + oneLine(e.getOriginalMessage()), e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new FeatureSpecException("feature spec is empty; it needs a 'fields:' list");
        }
        requireMapping(root, "feature spec", "a mapping with 'fields:' and optional 'limits:'");
        checkKeys(root, TOP_KEYS, "feature spec");
        Limits limits = root.has("limits") ? limits(root.get("limits")) : Limits.DEFAULT;
        JsonNode list = root.get("fields");
        if (list == null || list.isNull() || (list.isArray() && list.isEmpty())) {
            throw new FeatureSpecException("feature spec has no fields; list at least one under 'fields:'");
        }
        if (!list.isArray()) {
            throw new FeatureSpecException("'fields' must be a list of fields ('- name: ...'), got "
                    + describe(list));
        }
        List<FieldSpec> fields = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            fields.add(field(list.get(i), i));
        }
        FieldGroups groups = root.has("groups") ? groups(root.get("groups"), fields)
                : FieldGroups.all(fields.size());
        return new FeatureSpec(fields, limits, groups);
    }

    /** {@code groups: {wide: [a, b], fm: [...], deep: [...]}}; a group left out has every field. */
    private static FieldGroups groups(JsonNode node, List<FieldSpec> fields) {
        List<String> keys = Arrays.stream(FieldGroup.values()).map(FieldGroup::yamlName).toList();
        requireMapping(node, "groups", "a mapping of " + String.join(", ", keys) + " to lists of field names");
        checkKeys(node, keys, "groups");
        List<String> names = fields.stream().map(FieldSpec::name).toList();
        Map<FieldGroup, int[]> chosen = new EnumMap<>(FieldGroup.class);
        for (FieldGroup g : FieldGroup.values()) {
            JsonNode list = node.get(g.yamlName());
            if (list == null) {
                continue;
            }
            String where = "groups." + g.yamlName();
            if (!list.isArray()) {
                throw new FeatureSpecException(where + " must be a list of field names like [user, item], got "
                        + describe(list));
            }
            int[] members = new int[list.size()];
            for (int i = 0; i < members.length; i++) {
                String name = list.get(i).asText();
                members[i] = names.indexOf(name);
                if (!list.get(i).isTextual() || members[i] < 0) {
                    throw new FeatureSpecException(where + " names '" + name + "', which is not a field; add a field '"
                            + name + "' under fields: or remove it from " + where);
                }
                for (int j = 0; j < i; j++) {
                    if (members[j] == members[i]) {
                        throw new FeatureSpecException(where + " lists '" + name + "' twice; list each field once");
                    }
                }
            }
            if (g == FieldGroup.FM && members.length == 1) {
                throw new FeatureSpecException(where + " has only '" + list.get(0).asText() + "', and the FM pairs "
                        + "fields; list at least two, or remove " + where + " to feed it every field");
            }
            chosen.put(g, members);
        }
        return FieldGroups.of(fields.size(), chosen);
    }

    /**
     * The spec as YAML that {@link #parse} reads back to an equal spec: every key written
     * explicitly, defaults included, so two specs are the same exactly when their YAML is.
     */
    static String write(FeatureSpec spec) {
        ObjectNode root = YAML.createObjectNode();
        ArrayNode fields = root.putArray("fields");
        for (FieldSpec f : spec.fields()) {
            ObjectNode n = fields.addObject().put("name", f.name()).put("kind", f.kind().yamlName());
            if (f.kind() == FieldKind.NUMERIC) {
                NumericTransform t = f.transform();
                n.put("transform", t.function().yamlName());
                if (Double.isFinite(t.clipMin()) || Double.isFinite(t.clipMax())) {
                    ObjectNode clip = n.putObject("clip");
                    if (Double.isFinite(t.clipMin())) {
                        clip.put("min", t.clipMin());
                    }
                    if (Double.isFinite(t.clipMax())) {
                        clip.put("max", t.clipMax());
                    }
                }
                if (t.boundaries().length > 0) {
                    ArrayNode b = n.putArray("boundaries");
                    for (double d : t.boundaries()) {
                        b.add(d);
                    }
                }
            } else {
                n.put("buckets", f.buckets());
            }
            if (f.kind() == FieldKind.MULTI) {
                n.put("max_values", f.maxValues());
            }
        }
        Limits l = spec.limits();
        root.putObject("limits").put("max_string_length", l.maxStringLength()).put("max_map_entries",
                l.maxMapEntries()).put("max_values_per_field", l.maxValuesPerField())
                .put("max_record_bytes", l.maxRecordBytes());
        try {
            return YAML.writeValueAsString(root);
        } catch (JacksonException e) {
            throw new IllegalStateException("cannot write a feature spec as YAML", e);
        }
    }

    /** SnakeYAML's messages span lines and quote the source under a caret; keep the sentences. */
    private static String oneLine(String message) {
        return message.lines().filter(l -> !l.isBlank() && !l.startsWith(" ")).collect(Collectors.joining("; "));
    }

    private static FieldSpec field(JsonNode node, int index) {
        String at = "fields[" + index + "]";
        requireMapping(node, at, "a mapping with name and kind");
        JsonNode nameNode = node.get("name");
        if (nameNode == null || !nameNode.isTextual()) {
            throw new FeatureSpecException(at + " has no name; add 'name: <field>'");
        }
        String name = nameNode.asText();
        String where = "field '" + name + "'";
        checkKeys(node, FIELD_KEYS, where);
        JsonNode kindNode = node.get("kind");
        if (kindNode == null || !kindNode.isTextual()) {
            throw new FeatureSpecException(where + " has no kind; add 'kind: categorical', 'kind: multi' or "
                    + "'kind: numeric'");
        }
        FieldKind kind = FieldKind.parse(name, kindNode.asText());
        int buckets = optionalInt(node, "buckets", where);
        int maxValues = optionalInt(node, "max_values", where);
        NumericTransform transform = null;
        if (node.has("transform") || node.has("clip") || node.has("boundaries") || kind == FieldKind.NUMERIC) {
            transform = transform(node, where);
        }
        return new FieldSpec(name, kind, buckets, maxValues, transform);
    }

    private static NumericTransform transform(JsonNode node, String where) {
        NumericTransform.Function function = NumericTransform.Function.NONE;
        JsonNode fn = node.get("transform");
        if (fn != null) {
            function = null;
            for (NumericTransform.Function f : NumericTransform.Function.values()) {
                if (fn.isTextual() && f.yamlName().equals(fn.asText())) {
                    function = f;
                }
            }
            if (function == null) {
                throw new FeatureSpecException(where + ": unknown transform '" + fn.asText() + "'; use none or "
                        + "log1p (to bucketize, add 'boundaries: [...]')");
            }
        }
        double min = Double.NEGATIVE_INFINITY;
        double max = Double.POSITIVE_INFINITY;
        JsonNode clip = node.get("clip");
        if (clip != null) {
            requireMapping(clip, where + ": clip", "a mapping like {min: 0, max: 100}");
            checkKeys(clip, CLIP_KEYS, where + ": clip");
            min = clip.has("min") ? number(clip.get("min"), where + ": clip.min") : min;
            max = clip.has("max") ? number(clip.get("max"), where + ": clip.max") : max;
        }
        double[] boundaries = new double[0];
        JsonNode list = node.get("boundaries");
        if (list != null) {
            if (!list.isArray() || list.isEmpty()) {
                throw new FeatureSpecException(where + ": boundaries must be a non-empty list of increasing numbers "
                        + "like [0, 1, 2]; remove the key to keep the raw value");
            }
            boundaries = new double[list.size()];
            for (int i = 0; i < boundaries.length; i++) {
                boundaries[i] = number(list.get(i), where + ": boundaries[" + i + "]");
            }
        }
        try {
            return new NumericTransform(function, min, max, boundaries);
        } catch (FeatureSpecException e) {
            throw new FeatureSpecException(where + ": " + e.getMessage(), e);
        }
    }

    private static Limits limits(JsonNode node) {
        requireMapping(node, "limits", "a mapping of " + String.join(", ", LIMIT_KEYS));
        checkKeys(node, LIMIT_KEYS, "limits");
        Limits d = Limits.DEFAULT;
        return new Limits(
                node.has("max_string_length") ? integer(node.get("max_string_length"), "limits.max_string_length")
                        : d.maxStringLength(),
                node.has("max_map_entries") ? integer(node.get("max_map_entries"), "limits.max_map_entries")
                        : d.maxMapEntries(),
                node.has("max_values_per_field")
                        ? integer(node.get("max_values_per_field"), "limits.max_values_per_field")
                        : d.maxValuesPerField(),
                node.has("max_record_bytes") ? integer(node.get("max_record_bytes"), "limits.max_record_bytes")
                        : d.maxRecordBytes());
    }

    private static int optionalInt(JsonNode node, String key, String where) {
        return node.has(key) ? integer(node.get(key), where + ": " + key) : 0;
    }

    private static int integer(JsonNode v, String what) {
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new FeatureSpecException(what + " must be an integer, got " + describe(v));
        }
        return v.intValue();
    }

    private static double number(JsonNode v, String what) {
        if (!v.isNumber()) {
            throw new FeatureSpecException(what + " must be a number, got " + describe(v));
        }
        return v.doubleValue();
    }

    private static void requireMapping(JsonNode node, String what, String expected) {
        if (!node.isObject()) {
            throw new FeatureSpecException(what + " must be " + expected + ", got " + describe(node));
        }
    }

    private static String describe(JsonNode node) {
        if (node.isArray()) {
            return "a list";
        }
        if (node.isObject()) {
            return "a mapping";
        }
        return node.isNull() ? "nothing" : "'" + node.asText() + "'";
    }

    private static void checkKeys(JsonNode node, List<String> allowed, String where) {
        Set<String> known = Set.copyOf(allowed);
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!known.contains(key)) {
                throw new FeatureSpecException(where + ": unknown key '" + key + "'; allowed: "
                        + String.join(", ", allowed));
            }
        }
    }
}
