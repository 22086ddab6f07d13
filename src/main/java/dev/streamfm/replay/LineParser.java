package dev.streamfm.replay;

/** Turns one data line of a format into its label and features. */
interface LineParser {

    ParsedLine parse(String line) throws BadLineException;
}
