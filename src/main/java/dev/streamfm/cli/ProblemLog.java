package dev.streamfm.cli;

import java.io.PrintWriter;

/**
 * Counts problems with the input (bad lines, rows the spec rejects) and shows the first few on
 * stderr, so a broken file is noticed but not dumped.
 */
final class ProblemLog {

    private static final int SHOWN = 10;

    private final String prefix;
    private final String what;
    private final PrintWriter err;
    private long count;

    /** @param what the problems' name in the note that further ones are not shown, e.g. "bad lines" */
    ProblemLog(String command, String what, PrintWriter err) {
        this.prefix = "streamfm " + command + ": ";
        this.what = what;
        this.err = err;
    }

    void report(String message) {
        count++;
        if (count <= SHOWN) {
            err.println(prefix + message);
        }
        if (count == SHOWN) {
            err.println(prefix + "further " + what + " are counted but not shown");
        }
        err.flush();
    }

    long count() {
        return count;
    }
}
