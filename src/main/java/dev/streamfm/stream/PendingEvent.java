package dev.streamfm.stream;

import dev.streamfm.schema.ClickEvent;

/** An event waiting in the scoring batch, with what its prediction needs to be forwarded. */
record PendingEvent(long offset, String key, long timestamp, ClickEvent event) {
}
