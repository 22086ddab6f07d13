package dev.streamfm.features;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

/**
 * Which fields (by index, in spec order) feed each {@link FieldGroup}; a group the spec leaves out
 * has every field. Checked where it is built, so every index is a field, listed once, in order.
 */
public final class FieldGroups {

    private final Map<FieldGroup, int[]> members;

    private FieldGroups(Map<FieldGroup, int[]> members) {
        this.members = members;
    }

    /** Every field in every group. */
    public static FieldGroups all(int fields) {
        return of(fields, Map.of());
    }

    /**
     * @param chosen field indices of the groups the spec names; the others get every field
     * @throws FeatureSpecException when an index is not a field, repeats, or a group is empty
     */
    public static FieldGroups of(int fields, Map<FieldGroup, int[]> chosen) {
        Map<FieldGroup, int[]> members = new EnumMap<>(FieldGroup.class);
        for (FieldGroup g : FieldGroup.values()) {
            int[] m = chosen.containsKey(g) ? chosen.get(g).clone() : range(fields);
            Arrays.sort(m);
            if (m.length == 0) {
                throw new FeatureSpecException("groups." + g.yamlName() + " is empty; list at least one field, or "
                        + "remove groups." + g.yamlName() + " to feed it every field");
            }
            for (int i = 0; i < m.length; i++) {
                if (m[i] < 0 || m[i] >= fields || (i > 0 && m[i] == m[i - 1])) {
                    throw new IllegalArgumentException("groups." + g.yamlName() + ": field index " + m[i]
                            + " repeats or is not one of the " + fields + " fields");
                }
            }
            members.put(g, m);
        }
        return new FieldGroups(members);
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        Arrays.setAll(r, i -> i);
        return r;
    }

    /** Field indices of {@code group}, ascending. */
    public int[] fields(FieldGroup group) {
        return members.get(group).clone();
    }

    /** True when {@code group} has each of the {@code fields} fields. */
    public boolean hasEveryField(FieldGroup group, int fields) {
        return members.get(group).length == fields;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof FieldGroups other)) {
            return false;
        }
        for (FieldGroup g : FieldGroup.values()) {
            if (!Arrays.equals(members.get(g), other.members.get(g))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (FieldGroup g : FieldGroup.values()) {
            h = 31 * h + Arrays.hashCode(members.get(g));
        }
        return h;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("FieldGroups[");
        for (FieldGroup g : FieldGroup.values()) {
            sb.append(g.yamlName()).append('=').append(Arrays.toString(members.get(g))).append(' ');
        }
        return sb.append(']').toString();
    }
}
