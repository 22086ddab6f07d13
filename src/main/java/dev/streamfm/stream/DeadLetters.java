package dev.streamfm.stream;

import dev.streamfm.rejection.Rejection;
import dev.streamfm.schema.DeadLetter;

import java.nio.ByteBuffer;
import java.time.Instant;

/**
 * Builds the dead-letter record of a rejection. A dead letter carries the original key and value
 * and an envelope, so for a value near the broker's limit it would not fit and its send would
 * fail; key, value and message are cut to bounds that keep it well under the broker's default
 * message.max.bytes (1 MB), and the message says what was cut.
 */
public final class DeadLetters {

    static final int MAX_VALUE_BYTES = 256 * 1024;
    static final int MAX_KEY_BYTES = 1024;
    static final int MAX_MESSAGE_CHARS = 4096;

    private DeadLetters() {
    }

    public static DeadLetter of(Rejection r, Instant failedAt) {
        String message = r.message() == null ? "" : r.message();
        if (message.length() > MAX_MESSAGE_CHARS) {
            message = message.substring(0, MAX_MESSAGE_CHARS) + "...";
        }
        message += truncation("key", r.key(), MAX_KEY_BYTES) + truncation("value", r.value(), MAX_VALUE_BYTES);
        return DeadLetter.newBuilder()
                .setSourceTopic(r.topic() == null ? "" : r.topic())
                .setPartition(r.partition())
                .setOffset(r.offset())
                .setKey(cut(r.key(), MAX_KEY_BYTES))
                .setValue(cut(r.value(), MAX_VALUE_BYTES))
                .setReason(r.reason())
                .setErrorClass(r.errorClass())
                .setErrorMessage(message)
                .setFailedAt(failedAt)
                .build();
    }

    /** The dead letter's Kafka key: the original key, cut like the one inside. */
    public static byte[] keyOf(byte[] key) {
        return key == null || key.length <= MAX_KEY_BYTES ? key : java.util.Arrays.copyOf(key, MAX_KEY_BYTES);
    }

    /** The dead letter's Kafka key from a String key (at most as many chars as the byte bound). */
    static String keyOf(String key) {
        return key == null || key.length() <= MAX_KEY_BYTES / 4 ? key : key.substring(0, MAX_KEY_BYTES / 4);
    }

    private static ByteBuffer cut(byte[] bytes, int max) {
        return bytes == null ? null : ByteBuffer.wrap(bytes, 0, Math.min(bytes.length, max)).slice();
    }

    private static String truncation(String what, byte[] bytes, int max) {
        return bytes == null || bytes.length <= max ? "" : " [" + what + " truncated from " + bytes.length + " to "
                + max + " bytes; the original is at the source offset]";
    }
}
