package dev.streamfm.model.tf;

import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.types.TFloat32;

/**
 * An optimizer update of one variable and, for the analysis, the values it started from and the
 * change it made. The last two are only computed by runs that fetch them.
 *
 * @param op     the update
 * @param before the variable before the update (touched rows only for tables)
 * @param delta  after minus before, same shape
 */
record AppliedUpdate(Op op, Operand<TFloat32> before, Operand<TFloat32> delta) {
}
