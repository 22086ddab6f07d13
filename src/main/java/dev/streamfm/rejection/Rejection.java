package dev.streamfm.rejection;

/**
 * Why a record could not be used, with where it came from and its original bytes, so the
 * dead-letter record lets an operator find, fix and replay it.
 */
public record Rejection(String reason, String errorClass, String message, String topic, int partition, long offset,
                        byte[] key, byte[] value) {
}
