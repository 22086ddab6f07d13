package dev.streamfm.synth;

import java.util.SplittableRandom;

/**
 * The values one field takes and the teacher parameter row behind each. A value is a long: head
 * ids are their Zipf rank in [0, headIds), fresh id k is headIds + k. Head ids use rows
 * [0, headIds); fresh ids share the ring of rows after them, which never holds two live ids.
 */
final class FieldValues {

    private final ZipfDistribution head;
    private final int headIds;
    private final IdGrowth growth;
    private final String[] headNames;

    FieldValues(SynthShape shape, double zipfExponent) {
        headIds = shape.idsPerField();
        head = new ZipfDistribution(headIds, zipfExponent);
        growth = shape.growth();
        headNames = new String[headIds];
        for (int r = 0; r < headIds; r++) {
            headNames[r] = SyntheticGenerator.valueName(r);
        }
    }

    ZipfDistribution head() {
        return head;
    }

    /** Teacher parameter rows per field. */
    int rows() {
        return headIds + (growth.grows() ? growth.liveIds() : 0);
    }

    /** The value of one field of event {@code index}; a fixed id space draws exactly one uniform, as it always did. */
    long sample(SplittableRandom r, long index) {
        if (!growth.grows() || r.nextDouble() >= growth.freshShare()) {
            return head.sample(r);
        }
        long newest = (long) Math.floor(index * growth.birthsPerEvent());
        // uniform over the live ids; before the first liveIds are born, over those born so far
        long id = newest - r.nextInt((int) Math.min(growth.liveIds(), newest + 1));
        return headIds + id;
    }

    int row(long value) {
        return value < headIds ? (int) value : headIds + (int) ((value - headIds) % growth.liveIds());
    }

    String name(long value) {
        return value < headIds ? headNames[(int) value] : "n" + (value - headIds);
    }

    /** Long-run probability of a row, the weights under which the teacher centres its vectors. */
    double rowProbability(int row) {
        if (row < headIds) {
            return (1 - growth.freshShare()) * head.probability(row);
        }
        return growth.freshShare() / growth.liveIds();
    }

    /** Size of a row's teacher parameters: head ids shrink with rank, fresh ids all share one size. */
    double rowScale(int row, double tailDecay) {
        return row < headIds ? Math.pow(row + 1, -tailDecay) : growth.freshScale();
    }

    /** The first event index of the stationary stream, where the teacher is calibrated. */
    long stationaryFrom() {
        return growth.warmUpEvents();
    }
}
