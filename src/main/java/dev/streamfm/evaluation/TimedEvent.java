package dev.streamfm.evaluation;

/**
 * An event with the times the service would see: when it happened and, for a click, when its
 * click label arrived.
 *
 * @param labeled    the event and its 0/1 outcome (1 = clicked, whenever the click arrives)
 * @param eventTime  event time, ms
 * @param clickTime  arrival time of the click label, ms; ignored unless the event was clicked
 */
public record TimedEvent(LabeledEvent labeled, long eventTime, long clickTime) {

    /** Whether a click label arrived within the attribution window, which makes the event a positive. */
    public boolean attributed(long windowMs) {
        return labeled.label() == 1 && clickTime >= eventTime && clickTime <= eventTime + windowMs;
    }
}
