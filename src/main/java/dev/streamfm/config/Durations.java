package dev.streamfm.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one parser of durations in flags and settings. Users of Kafka, Prometheus and Kubernetes
 * write 500ms, 50s, 2m, 1h (and compounds such as 1h30m); ISO-8601 (PT50S) is accepted too.
 */
public final class Durations {

    /** What a duration looks like, for error messages. */
    public static final String EXPECTED = "a duration such as 500ms, 50s, 2m, 1h or ISO-8601 PT50S";

    private static final Pattern PART = Pattern.compile("([0-9]+)(ms|s|m|h|d)");
    private static final Pattern WHOLE = Pattern.compile("(?:[0-9]+(?:ms|s|m|h|d))+");

    private Durations() {
    }

    /**
     * @throws IllegalArgumentException saying what a duration looks like; a bare number is refused
     *                                  because its unit would be a guess
     */
    public static Duration parse(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        if (s.startsWith("p") || s.startsWith("-p")) {
            try {
                return requireNonNegative(text, Duration.parse(s.toUpperCase(Locale.ROOT)));
            } catch (DateTimeParseException e) {
                throw invalid(text);
            }
        }
        if (!WHOLE.matcher(s).matches()) {
            throw invalid(text);
        }
        Duration total = Duration.ZERO;
        Matcher m = PART.matcher(s);
        try {
            while (m.find()) {
                long n = Long.parseLong(m.group(1));
                total = total.plus(switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                });
            }
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is too long a duration");
        }
        return total;
    }

    /** The compact form {@link #parse} reads back: 1h30m, 2m, 500ms. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) {
            return "0s";
        }
        StringBuilder out = new StringBuilder();
        long[] sizes = {86_400_000, 3_600_000, 60_000, 1_000, 1};
        String[] units = {"d", "h", "m", "s", "ms"};
        for (int i = 0; i < sizes.length; i++) {
            if (ms >= sizes[i]) {
                out.append(ms / sizes[i]).append(units[i]);
                ms %= sizes[i];
            }
        }
        return out.toString();
    }

    private static Duration requireNonNegative(String text, Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("'" + text + "' is negative; a duration must be >= 0");
        }
        return d;
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("'" + text + "' is not " + EXPECTED);
    }
}
