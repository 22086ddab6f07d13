package dev.streamfm.replay;

import java.util.Map;

/** The content of one data line, before the reader gives it an event id and time. */
record ParsedLine(int label, Map<String, String> categorical, Map<String, Double> numeric) {
}
