package dev.streamfm.replay;

import java.util.Map;
import java.util.OptionalLong;

/**
 * The content of one data line, before the reader gives it an event id and time.
 *
 * @param time the line's own event time in epoch milliseconds, when its format has one
 */
record ParsedLine(int label, Map<String, String> categorical, Map<String, Double> numeric, OptionalLong time) {
}
