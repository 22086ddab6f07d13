package dev.streamfm.model.tf;

import dev.streamfm.model.LayerKind;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The DNN on the concatenated field embeddings: per hidden layer Linear -> optional BatchNorm ->
 * ReLU -> Dropout, then a linear output unit. The training and inference forwards are two op
 * chains over the same variable reads.
 */
final class DnnTower implements InteractionTower {

    private record Hidden(TfVariable weights, TfVariable bias, Optional<BatchNorm> norm) {
    }

    private interface Normalisation {
        Operand<TFloat32> apply(BatchNorm norm, Operand<TFloat32> z);
    }

    private final int inputWidth;
    private final List<Hidden> hidden;
    private final TfVariable outputWeights;
    private final TfVariable outputBias;

    private DnnTower(int inputWidth, List<Hidden> hidden, TfVariable outputWeights, TfVariable outputBias) {
        this.inputWidth = inputWidth;
        this.hidden = hidden;
        this.outputWeights = outputWeights;
        this.outputBias = outputBias;
    }

    static DnnTower create(VariableIO vars, int inputWidth, List<Integer> units, boolean batchNorm) {
        List<Hidden> hidden = new ArrayList<>();
        int in = inputWidth;
        for (int i = 0; i < units.size(); i++) {
            String prefix = "dnn_" + i;
            int out = units.get(i);
            hidden.add(new Hidden(
                    vars.add(prefix + "_w", LayerKind.DNN, false, InitialValue.glorotUniform(), in, out),
                    vars.add(prefix + "_b", LayerKind.DNN, false, InitialValue.constant(0), out),
                    batchNorm ? Optional.of(BatchNorm.create(vars, prefix, out)) : Optional.empty()));
            in = out;
        }
        return new DnnTower(inputWidth, hidden,
                vars.add("output_w", LayerKind.OUTPUT, false, InitialValue.glorotUniform(), in, 1),
                vars.add("output_b", LayerKind.OUTPUT, false, InitialValue.constant(0), 1));
    }

    @Override
    public List<TfVariable> trainables() {
        List<TfVariable> out = new ArrayList<>();
        for (Hidden h : hidden) {
            out.add(h.weights());
            out.add(h.bias());
            h.norm().ifPresent(n -> out.addAll(n.trainables()));
        }
        out.add(outputWeights);
        out.add(outputBias);
        return out;
    }

    /** Batch statistics and dropout. */
    @Override
    public Operand<TFloat32> training(Ops tf, Operand<TFloat32> fields, StatelessDropout dropout, List<Op> updates) {
        return forward(tf, fields, (norm, z) -> norm.training(tf, z, updates), dropout);
    }

    @Override
    public Operand<TFloat32> inference(Ops tf, Operand<TFloat32> fields) {
        return forward(tf, fields, (norm, z) -> norm.inference(tf, z), StatelessDropout.NONE);
    }

    @Override
    public boolean trainingDiffersFromInference(StatelessDropout dropout) {
        return dropout.active() || hidden.stream().anyMatch(h -> h.norm().isPresent());
    }

    private Operand<TFloat32> forward(Ops tf, Operand<TFloat32> fields, Normalisation normalisation,
                                      StatelessDropout dropout) {
        Operand<TFloat32> h = tf.reshape(fields, tf.constant(new int[] {-1, inputWidth}));
        for (int i = 0; i < hidden.size(); i++) {
            Hidden layer = hidden.get(i);
            Operand<TFloat32> z = tf.math.add(tf.linalg.matMul(h, layer.weights().read()), layer.bias().read());
            if (layer.norm().isPresent()) {
                z = normalisation.apply(layer.norm().get(), z);
            }
            h = tf.nn.relu(z);
            h = dropout.apply(tf, h, i);
        }
        Operand<TFloat32> out = tf.math.add(tf.linalg.matMul(h, outputWeights.read()), outputBias.read());
        return tf.reshape(out, tf.constant(new int[] {-1}));
    }
}
