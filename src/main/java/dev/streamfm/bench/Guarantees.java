package dev.streamfm.bench;

import java.util.Locale;

/** Short names of the processing guarantees, for topic and application names. */
final class Guarantees {

    private Guarantees() {
    }

    /** exactly_once_v2 -> eos, at_least_once -> alos. */
    static String shortName(String guarantee) {
        return switch (guarantee.toLowerCase(Locale.ROOT)) {
            case "exactly_once_v2" -> "eos";
            case "at_least_once" -> "alos";
            default -> throw new IllegalArgumentException("unknown processing guarantee " + guarantee);
        };
    }
}
