package dev.streamfm.rejection;

import java.util.Optional;

/**
 * A record the service cannot use. The message names the field and what is allowed; it goes
 * into the dead letter, so it never quotes more than a short piece of the record.
 */
public final class RecordRejectedException extends Exception {

    private final RejectReason reason;

    public RecordRejectedException(RejectReason reason, String message) {
        this(reason, message, null);
    }

    public RecordRejectedException(RejectReason reason, String message, Throwable cause) {
        // Rejections are expected data, not bugs, and can arrive at stream rate: a stack trace
        // would cost more than decoding the record and nobody reads it.
        super(message, cause, false, false);
        this.reason = reason;
    }

    public RejectReason reason() {
        return reason;
    }

    /**
     * The rejection inside an exception chain, e.g. the cause of the SerializationException a
     * Kafka Deserializer threw, so a dead-letter handler can recover the reason.
     */
    public static Optional<RecordRejectedException> find(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof RecordRejectedException r) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return "rejected (" + reason.label() + "): " + getMessage();
    }
}
