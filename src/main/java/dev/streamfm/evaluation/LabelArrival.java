package dev.streamfm.evaluation;

import dev.streamfm.model.DelayedFeedback;

import java.time.Duration;

/**
 * How labels reach the trainer in the service: the attribution window and its grace, the
 * delayed-feedback mode, and the trainer's batch deadline (README, "Delayed labels").
 *
 * @param windowMs         a click at most this long after its event makes it a positive
 * @param graceMs          examples are released window + grace after their event (window mode)
 * @param feedback         window, or fake-negative weighting
 * @param trainingMaxWaitMs longest an example waits for its training batch to fill
 */
public record LabelArrival(long windowMs, long graceMs, DelayedFeedback feedback, long trainingMaxWaitMs) {

    public LabelArrival {
        if (windowMs < 1 || graceMs < 0 || trainingMaxWaitMs < 0 || feedback == null) {
            throw new IllegalArgumentException("label arrival needs window >= 1 ms, grace and training wait >= 0 "
                    + "and a feedback mode, got " + windowMs + ", " + graceMs + ", " + trainingMaxWaitMs + ", "
                    + feedback);
        }
    }

    public static LabelArrival of(Duration window, Duration grace, DelayedFeedback feedback, Duration trainingMaxWait) {
        return new LabelArrival(window.toMillis(), grace.toMillis(), feedback, trainingMaxWait.toMillis());
    }

    /** The part of the attribution that releases examples in window mode. */
    public long releaseDelayMs() {
        return windowMs + graceMs;
    }
}
