package dev.streamfm.config;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * One StreamFM setting: its key (as written in the properties file), default, a check of its
 * value, the canonical form a valid value is stored in, and what it means. Environment variable:
 * STREAMFM_ + the key without "streamfm.", upper-cased, dots as underscores
 * (streamfm.scoring.batch.size -> STREAMFM_SCORING_BATCH_SIZE).
 */
public record Setting(String key, String defaultValue, String expected, Predicate<String> valid,
                      UnaryOperator<String> canonical, String doc) {

    /** A setting whose valid values are used as written. */
    public Setting(String key, String defaultValue, String expected, Predicate<String> valid, String doc) {
        this(key, defaultValue, expected, valid, UnaryOperator.identity(), doc);
    }

    public String envName() {
        return "STREAMFM_" + key.substring("streamfm.".length()).toUpperCase(java.util.Locale.ROOT).replace('.', '_');
    }

    static Setting positiveInt(String key, int def, String doc) {
        return new Setting(key, Integer.toString(def), "an integer >= 1", v -> parses(v, Integer::parseInt, 1), doc);
    }

    static Setting intInRange(String key, int def, int min, int max, String doc) {
        return new Setting(key, Integer.toString(def), "an integer in " + min + ".." + max, v -> {
            try {
                int i = Integer.parseInt(v.trim());
                return i >= min && i <= max;
            } catch (NumberFormatException e) {
                return false;
            }
        }, doc);
    }

    static Setting positiveLong(String key, long def, String doc) {
        return new Setting(key, Long.toString(def), "an integer >= 1", v -> parses(v, Long::parseLong, 1), doc);
    }

    static Setting nonNegativeLong(String key, long def, String doc) {
        return new Setting(key, Long.toString(def), "an integer >= 0", v -> parses(v, Long::parseLong, 0), doc);
    }

    /**
     * A time span kept in milliseconds under a *.ms key: a bare integer is milliseconds, as it always
     * was, and 500ms, 50s, 2m, 1h or PT50S are converted, so readers keep getting an integer. At most
     * Integer.MAX_VALUE ms (24 days), because some readers take it as an int.
     */
    static Setting millis(String key, Duration def, long minMs, String doc) {
        String min = minMs == 0 ? "" : " of at least " + minMs + "ms";
        return new Setting(key, Long.toString(def.toMillis()),
                Durations.EXPECTED + " (a bare integer is milliseconds)" + min + ", at most 24d",
                v -> {
                    Long ms = toMillis(v);
                    return ms != null && ms >= minMs && ms <= Integer.MAX_VALUE;
                }, v -> Long.toString(toMillis(v)), doc + " A duration: 500ms, 50s, 2m, 1h (a bare number is ms).");
    }

    private static Long toMillis(String v) {
        try {
            return v.matches("[0-9]+") ? Long.parseLong(v) : Durations.parse(v).toMillis();
        } catch (IllegalArgumentException | ArithmeticException e) {
            return null;
        }
    }

    static Setting positiveDouble(String key, double def, String doc) {
        return new Setting(key, Double.toString(def), "a finite number > 0",
                v -> parses(v, Double::parseDouble, Double.MIN_VALUE), doc);
    }

    static Setting nonNegativeDouble(String key, double def, String doc) {
        return new Setting(key, Double.toString(def), "a finite number >= 0", v -> parses(v, Double::parseDouble, 0),
                doc);
    }

    static Setting shareOfOne(String key, double def, String doc) {
        return new Setting(key, Double.toString(def), "a number in [0, 1]",
                v -> parses(v, Double::parseDouble, 0) && Double.parseDouble(v.trim()) <= 1, doc);
    }

    static Setting bool(String key, boolean def, String doc) {
        return new Setting(key, Boolean.toString(def), "true or false",
                v -> v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false"), doc);
    }

    static Setting oneOf(String key, String def, java.util.List<String> allowed, String doc) {
        return new Setting(key, def, "one of " + String.join(", ", allowed), allowed::contains, doc);
    }

    static Setting text(String key, String def, String doc) {
        return new Setting(key, def, "a value", v -> true, doc);
    }

    private static <N extends Number> boolean parses(String v, java.util.function.Function<String, N> parse,
                                                     double min) {
        try {
            double d = parse.apply(v.trim()).doubleValue();
            return Double.isFinite(d) && d >= min;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
