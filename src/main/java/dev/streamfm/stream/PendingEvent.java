package dev.streamfm.stream;

import dev.streamfm.schema.ClickEvent;

/**
 * An event waiting in the scoring batch, with what its prediction needs to be forwarded; the
 * Avro encoding is kept so the event is encoded once for both stores it goes to.
 */
record PendingEvent(long offset, String key, long timestamp, ClickEvent event, byte[] avro) {
}
