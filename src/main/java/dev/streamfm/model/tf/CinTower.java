package dev.streamfm.model.tf;

import dev.streamfm.model.LayerKind;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.SplitV;
import org.tensorflow.types.TFloat32;

import java.util.ArrayList;
import java.util.List;

/**
 * The compressed interaction network of xDeepFM (Lian et al. 2018), split-half. With X^0 the m
 * field embeddings [m, D] of an example, layer k computes H_k feature maps
 * X^k[j, d] = sum_{h, i} W^k[h * m + i, j] * X^{k-1}[h, d] * X^0[i, d]: vector-wise interactions
 * whose order grows by one per layer, with identity activation as in the paper. Every layer but
 * the last sends the first half of its maps on to the next layer and the second half to the
 * output; the last sends all. Each output map is sum-pooled over D, and a linear unit turns the
 * pooled maps into the tower's logit. Variables "cin_k_w" [H_{k-1} * m, H_k] and
 * "cin_output_w" / "cin_output_b".
 */
final class CinTower implements InteractionTower {

    private final int fields;
    private final int dim;
    private final List<TfVariable> layers;
    private final TfVariable outputWeights;
    private final TfVariable outputBias;

    private CinTower(int fields, int dim, List<TfVariable> layers, TfVariable outputWeights, TfVariable outputBias) {
        this.fields = fields;
        this.dim = dim;
        this.layers = layers;
        this.outputWeights = outputWeights;
        this.outputBias = outputBias;
    }

    /** @param sizes H_k per layer; all but the last even (split-half) */
    static CinTower create(VariableIO vars, int fields, int dim, List<Integer> sizes) {
        List<TfVariable> layers = new ArrayList<>();
        int previous = fields;
        int pooled = 0;
        for (int k = 0; k < sizes.size(); k++) {
            int size = sizes.get(k);
            layers.add(vars.add("cin_" + k + "_w", LayerKind.CIN, false, InitialValue.glorotUniform(),
                    (long) previous * fields, size));
            boolean last = k == sizes.size() - 1;
            previous = last ? size : size / 2;
            pooled += last ? size : size - size / 2;
        }
        return new CinTower(fields, dim, layers,
                vars.add("cin_output_w", LayerKind.CIN, false, InitialValue.glorotUniform(), pooled, 1),
                vars.add("cin_output_b", LayerKind.CIN, false, InitialValue.constant(0), 1));
    }

    @Override
    public List<TfVariable> trainables() {
        List<TfVariable> out = new ArrayList<>(layers);
        out.add(outputWeights);
        out.add(outputBias);
        return out;
    }

    @Override
    public Operand<TFloat32> inference(Ops tf, Operand<TFloat32> x0) {
        // Feature maps last, [B, D, H]: the interaction of layer k is then one MatMul over
        // [B * D, H_{k-1} * m] without transposing back and forth.
        Operand<TFloat32> base = tf.linalg.transpose(x0, tf.constant(new int[] {0, 2, 1}));
        Operand<TFloat32> baseExpanded = tf.expandDims(base, tf.constant(2));
        Operand<TFloat32> x = base;
        int previous = fields;
        List<Operand<TFloat32>> pooled = new ArrayList<>();
        for (int k = 0; k < layers.size(); k++) {
            TfVariable w = layers.get(k);
            int size = (int) w.info().shape()[1];
            Operand<TFloat32> z = tf.math.mul(tf.expandDims(x, tf.constant(3)), baseExpanded);
            Operand<TFloat32> flat = tf.reshape(z, tf.constant(new int[] {-1, previous * fields}));
            Operand<TFloat32> maps = tf.reshape(tf.linalg.matMul(flat, w.read()), tf.constant(new int[] {-1, dim, size}));
            Operand<TFloat32> toOutput = maps;
            if (k < layers.size() - 1) {
                SplitV<TFloat32> halves = tf.splitV(maps, tf.constant(new int[] {size / 2, size - size / 2}),
                        tf.constant(2), 2L);
                x = halves.output().get(0);
                toOutput = halves.output().get(1);
                previous = size / 2;
            }
            pooled.add(tf.sum(toOutput, tf.constant(1)));
        }
        Operand<TFloat32> all = pooled.size() == 1 ? pooled.get(0) : tf.concat(pooled, tf.constant(1));
        Operand<TFloat32> out = tf.math.add(tf.linalg.matMul(all, outputWeights.read()), outputBias.read());
        return tf.reshape(out, tf.constant(new int[] {-1}));
    }
}
