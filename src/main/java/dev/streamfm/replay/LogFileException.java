package dev.streamfm.replay;

import java.io.IOException;

/** A log file that cannot be read at all (not one bad line): the message names the file and the fix. */
public final class LogFileException extends IOException {

    public LogFileException(String message) {
        super(message);
    }
}
