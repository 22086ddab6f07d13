package dev.streamfm.model;

import dev.streamfm.features.FeatureBatch;
import dev.streamfm.features.FeatureLayout;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Benchmark inputs: rows stay in their field, a few values dominate as in real logs, and a seed fixes the pool. */
class SyntheticBatchesTest {

    private final FeatureLayout layout = FeatureLayout.singleSlot(List.of("a", "b", "c"), new int[] {2048, 100, 7});

    @Test
    void rowsStayInTheirFieldAndFollowAZipfHead() {
        SyntheticBatches pool = SyntheticBatches.zipf(layout, 1000, 4, 1.1, 1);
        assertEquals(4, pool.count());
        int[] counts = new int[(int) layout.totalRows()];
        int clicks = 0;
        for (int i = 0; i < pool.count(); i++) {
            FeatureBatch b = pool.batch(i);
            for (int e = 0; e < b.size(); e++) {
                for (int f = 0; f < 3; f++) {
                    int row = b.rows()[e * 3 + f];
                    assertTrue(row >= layout.fieldOffset()[f] && row < layout.fieldOffset()[f] + layout.fieldRows()[f],
                            "row " + row + " outside field " + f);
                    counts[row]++;
                }
                clicks += (int) pool.labels(i)[e];
            }
        }
        int top = 0;
        for (int r = 0; r < 2048; r++) {
            top = Math.max(top, counts[r]);
        }
        // rank 1 of Zipf(1.1) over 2048 values has p ~ 0.13; uniform would give 1/2048
        assertTrue(top > 0.08 * 4000, "most frequent value of field a appears " + top + " times in 4000");
        assertTrue(clicks > 800 && clicks < 1200, "about one click in four, got " + clicks);
    }

    @Test
    void theSameSeedGivesTheSamePool() {
        SyntheticBatches a = SyntheticBatches.zipf(layout, 64, 2, 1.1, 5);
        SyntheticBatches b = SyntheticBatches.zipf(layout, 64, 2, 1.1, 5);
        assertArrayEquals(a.batch(1).rows(), b.batch(1).rows());
        assertArrayEquals(a.labels(1), b.labels(1));
    }
}
