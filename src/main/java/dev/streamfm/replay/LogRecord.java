package dev.streamfm.replay;

import dev.streamfm.evaluation.LabeledEvent;
import dev.streamfm.schema.ClickEvent;

/** One example read from a log file; {@code line} is where it came from. */
public record LogRecord(long line, ClickEvent event, int label) implements LabeledEvent {
}
