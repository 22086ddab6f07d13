package dev.streamfm.replay;

/** A line that does not follow its format; the message says what is wrong with it. */
final class BadLineException extends Exception {

    BadLineException(String message) {
        // A bad line is expected input, reported by line number; its stack trace would say nothing.
        super(message, null, false, false);
    }
}
