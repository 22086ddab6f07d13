package dev.streamfm.features;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class NumericTransformTest {

    @Test
    void bucketizeFollowsTensorFlowsIntervalsShiftedPastTheMissingRow() {
        // tf.raw_ops.Bucketize doc: boundaries [0, 10, 100],
        // input [[-5, 10000], [150, 10], [5, 100]] -> [[0, 3], [3, 2], [1, 3]]
        NumericTransform t = NumericTransform.bucketized(NumericTransform.Function.NONE, 0, 10, 100);
        double[] in = {-5, 10000, 150, 10, 5, 100};
        int[] tf = {0, 3, 3, 2, 1, 3};
        for (int i = 0; i < in.length; i++) {
            assertEquals(tf[i] + 1, t.row(t.apply(in[i])), "x = " + in[i]);
            assertEquals(1f, t.value(t.apply(in[i])));
        }
        assertEquals(5, t.rows());
    }

    @Test
    void log1pIsOddSoNegativeCountsStayDefined() {
        NumericTransform t = NumericTransform.of(NumericTransform.Function.LOG1P);
        assertEquals(0.0, t.apply(0));
        assertEquals(1.0, t.apply(Math.E - 1), 1e-15);
        assertEquals(-Math.log(4), t.apply(-3), 1e-15);
        assertEquals((float) Math.log(101), t.value(t.apply(100)));
        assertEquals(1, t.row(t.apply(100)));
        assertEquals(2, t.rows());
    }

    @Test
    void clipComesBeforeTheFunctionAndTheBoundaries() {
        NumericTransform t = NumericTransform.bucketized(NumericTransform.Function.LOG1P, 1, 2).withClip(0, Math.E - 1);
        assertEquals(0.0, t.apply(-50));
        assertEquals(1.0, t.apply(1e9), 1e-15);
        assertEquals(1, t.row(t.apply(-50)));   // (-inf, 1)
        assertEquals(2, t.row(t.apply(1e9)));   // clipped onto the boundary 1: [1, 2)
    }

    @Test
    void equalityComparesBoundaryValues() {
        assertEquals(NumericTransform.bucketized(NumericTransform.Function.NONE, 1, 2),
                NumericTransform.bucketized(NumericTransform.Function.NONE, 1, 2));
        assertEquals(NumericTransform.bucketized(NumericTransform.Function.NONE, 1, 2).hashCode(),
                NumericTransform.bucketized(NumericTransform.Function.NONE, 1, 2).hashCode());
        assertNotEquals(NumericTransform.bucketized(NumericTransform.Function.NONE, 1, 2),
                NumericTransform.bucketized(NumericTransform.Function.NONE, 1, 3));
        assertNotEquals(NumericTransform.RAW, NumericTransform.of(NumericTransform.Function.LOG1P));
    }

    @Test
    void boundariesAreCopiedInAndOut() {
        double[] b = {1, 2};
        NumericTransform t = NumericTransform.bucketized(NumericTransform.Function.NONE, b);
        b[0] = 5;
        t.boundaries()[1] = -1;
        assertEquals(2, t.row(1.5));
    }
}
