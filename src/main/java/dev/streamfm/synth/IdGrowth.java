package dev.streamfm.synth;

/**
 * How a shape's id space grows with the stream. Every field draws a fresh id with probability
 * {@code freshShare}, else a head id by Zipf rank. Fresh ids are born at {@code birthsPerEvent}
 * per event and field, and an event picks one uniformly among the {@code liveIds} newest, so each
 * fresh id is seen about {@code freshShare / birthsPerEvent} times, spread over the
 * {@code liveIds / birthsPerEvent} events it lives: few examples each, but enough of them after
 * its first one for an online learner to use (a burst right after birth would all fall into one
 * micro-batch and teach nothing before it is scored).
 *
 * @param freshShare     probability that a field's value is a fresh id, in [0, 1)
 * @param birthsPerEvent new ids per event and field
 * @param liveIds        ids alive at once per field; the teacher reuses their parameter rows as a ring
 * @param freshScale     size of a fresh id's teacher parameters relative to the most frequent head id's
 */
public record IdGrowth(double freshShare, double birthsPerEvent, int liveIds, double freshScale) {

    /** A fixed id space: every value is a Zipf-ranked head id. */
    public static final IdGrowth NONE = new IdGrowth(0, 0, 0, 0);

    public IdGrowth {
        if (freshShare < 0 || freshShare >= 1) {
            throw new IllegalArgumentException("fresh share must be in [0, 1), got " + freshShare);
        }
        if (freshShare > 0 && (birthsPerEvent <= 0 || liveIds < 1 || freshScale < 0)) {
            throw new IllegalArgumentException("a growing id space needs births > 0, live ids >= 1, scale >= 0");
        }
    }

    public boolean grows() {
        return freshShare > 0;
    }

    /** Events until the pool of live ids is full: from then on the stream is stationary. */
    long warmUpEvents() {
        return grows() ? (long) Math.ceil(liveIds / birthsPerEvent) : 0;
    }
}
