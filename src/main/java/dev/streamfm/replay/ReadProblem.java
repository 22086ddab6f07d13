package dev.streamfm.replay;

/** A line the reader could not use, and why. Line numbers count from 1, the header included. */
public record ReadProblem(long line, String message) {

    @Override
    public String toString() {
        return "line " + line + ": " + message;
    }
}
