package dev.streamfm.features;

/**
 * An invalid feature spec. The message names the field or key and says how to fix it; commands
 * print it as a one-line error.
 */
public final class FeatureSpecException extends IllegalArgumentException {

    public FeatureSpecException(String message) {
        super(message);
    }

    public FeatureSpecException(String message, Throwable cause) {
        super(message, cause);
    }
}
