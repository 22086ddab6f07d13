package dev.streamfm.stream;

import dev.streamfm.schema.DeadLetter;

import java.nio.ByteBuffer;
import java.time.Instant;

/** Builds the dead-letter record of a rejection. */
public final class DeadLetters {

    private DeadLetters() {
    }

    public static DeadLetter of(Rejection r, Instant failedAt) {
        return DeadLetter.newBuilder()
                .setSourceTopic(r.topic() == null ? "" : r.topic())
                .setPartition(r.partition())
                .setOffset(r.offset())
                .setKey(r.key() == null ? null : ByteBuffer.wrap(r.key()))
                .setValue(r.value() == null ? null : ByteBuffer.wrap(r.value()))
                .setReason(r.reason())
                .setErrorClass(r.errorClass())
                .setErrorMessage(r.message() == null ? "" : r.message())
                .setFailedAt(failedAt)
                .build();
    }
}
