package dev.streamfm.report;

/**
 * An analysis that cannot be made as asked (an unknown field, an empty stream). The message says
 * what and how to fix it; commands print it as a one-line error.
 */
public final class ReportException extends IllegalArgumentException {

    public ReportException(String message) {
        super(message);
    }
}
