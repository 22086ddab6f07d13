package dev.streamfm.model.tf;

import dev.streamfm.model.ModelConfig;
import dev.streamfm.model.Tower;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

import java.util.List;

/**
 * A tower: reads the field embeddings of its feature group [B, F, D] and returns its term of the
 * logit [B]. The training and inference forwards share the variable reads; they differ only for
 * towers with dropout or batch normalisation.
 */
interface InteractionTower {

    /** The builder of each tower: a new tower kind is a class and its line here. */
    static InteractionTower create(Tower tower, VariableIO vars, ModelConfig config, int fields) {
        int dim = config.embeddingDim();
        return switch (tower) {
            case FM -> new FmTower();
            case DNN -> DnnTower.create(vars, fields * dim, config.hiddenUnits(), config.batchNorm());
            case CIN -> CinTower.create(vars, fields, dim, config.cinLayers());
            case ATTENTION -> AttentionTower.create(vars, fields, dim, config.attentionLayers(),
                    config.attentionHeads());
        };
    }

    /** Trainable variables in layer order. */
    List<TfVariable> trainables();

    /** [B, F, D] to [B] with moving statistics and without dropout ops. */
    Operand<TFloat32> inference(Ops tf, Operand<TFloat32> fields);

    /** [B, F, D] to [B] for training; batch-norm moving-average updates go to {@code updates}. */
    default Operand<TFloat32> training(Ops tf, Operand<TFloat32> fields, StatelessDropout dropout, List<Op> updates) {
        return inference(tf, fields);
    }

    /** True when training and inference forwards differ, so inference needs its own op chain. */
    default boolean trainingDiffersFromInference(StatelessDropout dropout) {
        return false;
    }
}
