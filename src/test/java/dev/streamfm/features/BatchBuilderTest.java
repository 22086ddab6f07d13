package dev.streamfm.features;

import dev.streamfm.schema.ClickEvent;
import dev.streamfm.rejection.RecordRejectedException;
import dev.streamfm.rejection.RejectReason;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static dev.streamfm.features.FieldHasher.bucketOf;
import static dev.streamfm.features.TestEvents.event;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BatchBuilderTest {

    private final FeatureStats stats = new FeatureStats();
    private final BatchBuilder builder = new BatchBuilder(TestEvents.mixedSpec(Limits.DEFAULT), stats, 1);

    // Row offsets of the mixed spec: a 0, t 5, n 12, b 14, c 18.
    private static final int[] ALL_MISSING_ROWS = {0, 5, 5, 5, 12, 14, 18};
    private static final float[] ALL_MISSING_VALUES = {1, 1, 0, 0, 1, 1, 1};

    @Test
    void fullEventGetsHashedRowsPooledWeightsAndTransformedNumbers() throws RecordRejectedException {
        builder.add(event("e1", Map.of("a", "x", "c", "y"), Map.of("t", List.of("p", "q")),
                Map.of("n", 3.0, "b", 10.0), 1));
        FeatureBatch batch = builder.build();
        assertEquals(1, batch.size());
        assertEquals(7, batch.slots());
        assertArrayEquals(new int[] {
                bucketOf("a", "x", 5),
                5 + bucketOf("t", "p", 7), 5 + bucketOf("t", "q", 7), 5,
                13,            // n present
                14 + 3,        // b = 10 falls in [10, inf), the third interval
                18 + 1}, batch.rows());
        assertArrayEquals(new float[] {1, 0.5f, 0.5f, 0, (float) Math.log(4), 1, 1}, batch.values());
        assertEquals(Map.of(), stats.missingFieldCounts());
    }

    @Test
    void absentFieldsTakeTheMissingRow() throws RecordRejectedException {
        builder.add(event("e1", Map.of(), Map.of(), Map.of(), null));
        builder.add(event("e2", Map.of(), Map.of("t", List.of()), Map.of(), null));
        FeatureBatch batch = builder.build();
        int[] rows = new int[14];
        float[] values = new float[14];
        for (int e = 0; e < 2; e++) {
            System.arraycopy(ALL_MISSING_ROWS, 0, rows, 7 * e, 7);
            System.arraycopy(ALL_MISSING_VALUES, 0, values, 7 * e, 7);
        }
        assertArrayEquals(rows, batch.rows());
        assertArrayEquals(values, batch.values());
        assertEquals(Map.of("a", 2L, "t", 2L, "n", 2L, "b", 2L, "c", 2L), stats.missingFieldCounts());
    }

    @Test
    void longListsKeepTheirFirstMaxValuesAndUnknownFieldsAreCountedNotUsed() throws RecordRejectedException {
        builder.add(event("e1", Map.of("zz", "1"), Map.of("t", List.of("v1", "v2", "v3", "v4", "v5")),
                Map.of("yy", Double.NaN, "b", -1.0), 0));
        FeatureBatch batch = builder.build();
        assertArrayEquals(new int[] {0, 5 + bucketOf("t", "v1", 7), 5 + bucketOf("t", "v2", 7),
                5 + bucketOf("t", "v3", 7), 12, 14 + 1, 18}, batch.rows());
        float third = 1f / 3;
        assertArrayEquals(new float[] {1, third, third, third, 1, 1, 1}, batch.values());
        assertEquals(Map.of("zz", 1L, "yy", 1L), stats.unknownFieldCounts());
        assertEquals(Map.of("t", 1L), stats.truncatedFieldCounts());
        assertEquals(Map.of("a", 1L, "n", 1L, "c", 1L), stats.missingFieldCounts());
    }

    @Test
    void bucketizedNumbersLandInTheirInterval() throws RecordRejectedException {
        double[] values = {-0.5, 0.0, 9.99, 10.0, 1e300};
        int[] expected = {15, 16, 16, 17, 17};
        for (double v : values) {
            builder.add(event("e", Map.of(), Map.of(), Map.of("b", v), null));
        }
        FeatureBatch batch = builder.build();
        for (int e = 0; e < values.length; e++) {
            assertEquals(expected[e], batch.rows()[7 * e + 5], "b = " + values[e]);
            assertEquals(1f, batch.values()[7 * e + 5]);
        }
    }

    @Test
    void aRejectedEventLeavesTheBatchAsItWas() throws RecordRejectedException {
        ClickEvent good = event("e1", Map.of("a", "x"), Map.of(), Map.of("n", 1.0), null);
        builder.add(good);
        FeatureBatch before = builder.build();
        RecordRejectedException e = assertThrows(RecordRejectedException.class,
                () -> builder.add(event("e2", Map.of("a", "y"), Map.of(), Map.of("n", Double.NaN), null)));
        assertEquals(RejectReason.NON_FINITE_NUMBER, e.reason());
        builder.add(good);
        FeatureBatch after = builder.build();
        assertEquals(2, after.size());
        assertArrayEquals(before.rows(), Arrays.copyOfRange(after.rows(), 7, 14));
        assertArrayEquals(before.values(), Arrays.copyOfRange(after.values(), 7, 14));
    }

    @Test
    void validateChecksWithoutAdding() {
        assertThrows(RecordRejectedException.class, () -> builder.validate(event("e", Map.of(), Map.of(),
                Map.of(), 7)));
        assertEquals(0, builder.size());
    }

    @Test
    void growsPastItsCapacityAndClearStartsOver() throws RecordRejectedException {
        for (int i = 0; i < 9; i++) {
            builder.add(TestEvents.categorical("e" + i, Map.of("a", "v" + i)));
        }
        FeatureBatch nine = builder.build();
        assertEquals(9, nine.size());
        for (int i = 0; i < 9; i++) {
            assertEquals(bucketOf("a", "v" + i, 5), nine.rows()[7 * i]);
        }
        builder.clear();
        assertEquals(0, builder.size());
        builder.add(TestEvents.categorical("e", Map.of("c", "z")));
        FeatureBatch one = builder.build();
        assertEquals(1, one.size());
        assertEquals(18 + 1, one.rows()[6]);
        assertEquals(0, one.rows()[0]);
        // the earlier batch is not touched by reuse of the builder's arrays
        assertEquals(bucketOf("a", "v0", 5), nine.rows()[0]);
    }

    @Test
    void layoutMatchesTheSpec() {
        assertEquals(TestEvents.mixedSpec(Limits.DEFAULT).layout().fieldNames(), builder.layout().fieldNames());
        assertArrayEquals(TestEvents.mixedSpec(Limits.DEFAULT).layout().fieldOffset(), builder.layout().fieldOffset());
    }
}
