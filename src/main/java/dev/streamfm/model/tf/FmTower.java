package dev.streamfm.model.tf;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

import java.util.List;

/** The FM as a tower: no variables of its own, only the pairwise term of its fields' embeddings. */
final class FmTower implements InteractionTower {

    @Override
    public List<TfVariable> trainables() {
        return List.of();
    }

    @Override
    public Operand<TFloat32> inference(Ops tf, Operand<TFloat32> fields) {
        return FmTerm.build(tf, fields);
    }
}
