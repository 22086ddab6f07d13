package dev.streamfm.model;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * An enum value named by a lower-case label in settings, command-line options and model
 * manifests; one parser for all of them, so every such name is read and refused the same way.
 */
public interface Labeled {

    String label();

    static <E extends Enum<E> & Labeled> List<String> labels(E[] values) {
        return Arrays.stream(values).map(Labeled::label).toList();
    }

    /**
     * The value labelled {@code s}, ignoring case and surrounding blanks and reading '_' as '-';
     * else an error that names {@code what} was asked for and every label.
     */
    static <E extends Enum<E> & Labeled> E parse(E[] values, String s, String what) {
        String k = s.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (E v : values) {
            if (v.label().equals(k)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown " + what + " '" + s + "'; use one of "
                + String.join(", ", labels(values)));
    }
}
