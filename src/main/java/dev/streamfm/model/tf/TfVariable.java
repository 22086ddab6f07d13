package dev.streamfm.model.tf;

import dev.streamfm.model.VariableInfo;
import org.tensorflow.op.core.AssignVariableOp;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.ReadVariableOp;
import org.tensorflow.op.core.ResourceGather;
import org.tensorflow.op.core.ResourceScatterUpdate;
import org.tensorflow.op.core.VarHandleOp;
import org.tensorflow.types.TFloat32;

import java.util.Optional;

/**
 * One resource variable and the ops built once for it: the full read (forward passes of dense
 * variables, and export), the restore assign fed by a placeholder, and for row-addressable tables
 * a row gather and a row scatter.
 */
record TfVariable(VariableInfo info, VarHandleOp handle, ReadVariableOp<TFloat32> read,
                  Placeholder<TFloat32> restoreValue, AssignVariableOp restore, Optional<RowAccess> rows) {

    record RowAccess(ResourceGather<TFloat32> read, Placeholder<TFloat32> values, ResourceScatterUpdate write) {
    }

    String name() {
        return info.name();
    }

    /** Elements per row; 1 for a vector. */
    int width() {
        return info.rowWidth();
    }
}
