package dev.streamfm.features;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bucket sizing against a simulation of uniform hashing, and the sizing's minimality and cap. */
class FieldBucketsTest {

    @Test
    void expectedCollisionShareMatchesASimulatedHash() {
        Random random = new Random(11);
        for (int[] nm : new int[][] {{884, 87_859}, {4082, 100_000}, {300, 601}, {50, 50}}) {
            int n = nm[0];
            int m = nm[1];
            int trials = 200;
            long colliding = 0;
            for (int t = 0; t < trials; t++) {
                int[] load = new int[m];
                int[] bucket = new int[n];
                for (int i = 0; i < n; i++) {
                    bucket[i] = random.nextInt(m);
                    load[bucket[i]]++;
                }
                for (int i = 0; i < n; i++) {
                    colliding += load[bucket[i]] > 1 ? 1 : 0;
                }
            }
            double simulated = colliding / ((double) trials * n);
            double expected = new FieldBuckets("f", n, false, m).expectedCollisionShare();
            // binomial noise of the simulated share, with slack for the correlation within a trial
            double tolerance = 4 * Math.sqrt(expected * (1 - expected) / (trials * (double) n)) + 1e-3;
            assertEquals(expected, simulated, tolerance, n + " ids in " + m + " buckets");
        }
    }

    @Test
    void sizedBucketsAreTheFewestThatMeetTheTarget() {
        for (long ids : new long[] {2, 7, 75, 884, 4082}) {
            FieldBuckets b = FieldBuckets.sized("f", ids, false, Integer.MAX_VALUE);
            assertTrue(b.expectedCollisionShare() <= FieldBuckets.TARGET_COLLISION_SHARE + 1e-12, b.toString());
            FieldBuckets fewer = new FieldBuckets("f", ids, false, b.buckets() - 1);
            assertTrue(fewer.expectedCollisionShare() > FieldBuckets.TARGET_COLLISION_SHARE, fewer.toString());
        }
    }

    @Test
    void sizingIsCappedAndSmallFieldsKeepHeadroom() {
        assertEquals(100_000, FieldBuckets.sized("f", 4082, false, 100_000).buckets());
        assertEquals(3, FieldBuckets.sized("f", 1, false, 100_000).buckets());
        assertEquals(0, new FieldBuckets("f", 1, false, 3).expectedCollisionShare());
    }
}
