package dev.streamfm.replay;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The log file formats the readers understand. */
public enum LogFormat {
    /** {@code label idx:val ...}, one pair per field in a fixed order: pair i is categorical field f{i} = idx. */
    LIBFM,
    /** {@code label idx:val ...}, sparse: index idx is numeric field f{idx} = val. */
    LIBSVM,
    /** Criteo display-ads TSV: label, I1..I13 integers, C1..C26 hex strings; empty means missing. */
    CRITEO,
    /** A header row, then one example per row: the label column, numeric columns as listed, the rest categorical. */
    CSV;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static LogFormat parse(String s) {
        for (LogFormat f : values()) {
            if (f.label().equalsIgnoreCase(s.trim())) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown format '" + s + "'; use one of "
                + Arrays.stream(values()).map(LogFormat::label).collect(Collectors.joining(", ")));
    }
}
