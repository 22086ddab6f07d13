package dev.streamfm.model.tf;

import dev.streamfm.model.LayerKind;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

import java.util.ArrayList;
import java.util.List;

/**
 * AutoInt's interacting layers (Song et al. 2019): multi-head self-attention over the field
 * embeddings with residual connections. In each layer, head h of field i attends to every field j
 * with weights softmax_j(<q_i, k_j>) (the paper's inner product, unscaled) and takes the weighted
 * sum of the values; the heads are concatenated, the input projected by W_res is added, and a ReLU
 * follows: x_i' = ReLU(concat_h(sum_j a_hij v_hj) + W_res x_i). Each head has the embedding width
 * D, so a layer maps [B, m, D_in] to [B, m, heads * D]. A linear unit on the flattened last layer
 * gives the tower's logit. Variables "attention_l_query/_key/_value/_residual" [D_in, heads * D],
 * "attention_output_w" / "attention_output_b".
 */
final class AttentionTower implements InteractionTower {

    private record Layer(TfVariable query, TfVariable key, TfVariable value, TfVariable residual, int inputWidth) {
    }

    private final int fields;
    private final int heads;
    private final int headWidth;
    private final List<Layer> layers;
    private final TfVariable outputWeights;
    private final TfVariable outputBias;

    private AttentionTower(int fields, int heads, int headWidth, List<Layer> layers, TfVariable outputWeights,
                           TfVariable outputBias) {
        this.fields = fields;
        this.heads = heads;
        this.headWidth = headWidth;
        this.layers = layers;
        this.outputWeights = outputWeights;
        this.outputBias = outputBias;
    }

    static AttentionTower create(VariableIO vars, int fields, int dim, int layerCount, int heads) {
        List<Layer> layers = new ArrayList<>();
        int width = heads * dim;
        int in = dim;
        for (int l = 0; l < layerCount; l++) {
            String p = "attention_" + l + "_";
            layers.add(new Layer(projection(vars, p + "query", in, width), projection(vars, p + "key", in, width),
                    projection(vars, p + "value", in, width), projection(vars, p + "residual", in, width), in));
            in = width;
        }
        return new AttentionTower(fields, heads, dim, layers,
                vars.add("attention_output_w", LayerKind.ATTENTION, false, InitialValue.glorotUniform(),
                        (long) fields * in, 1),
                vars.add("attention_output_b", LayerKind.ATTENTION, false, InitialValue.constant(0), 1));
    }

    private static TfVariable projection(VariableIO vars, String name, int in, int out) {
        return vars.add(name, LayerKind.ATTENTION, false, InitialValue.glorotUniform(), in, out);
    }

    @Override
    public List<TfVariable> trainables() {
        List<TfVariable> out = new ArrayList<>();
        for (Layer l : layers) {
            out.addAll(List.of(l.query(), l.key(), l.value(), l.residual()));
        }
        out.add(outputWeights);
        out.add(outputBias);
        return out;
    }

    @Override
    public Operand<TFloat32> inference(Ops tf, Operand<TFloat32> fieldEmbeddings) {
        int width = heads * headWidth;
        Operand<TFloat32> x = fieldEmbeddings;
        for (Layer layer : layers) {
            Operand<TFloat32> rows = tf.reshape(x, tf.constant(new int[] {-1, layer.inputWidth()}));
            Operand<TFloat32> q = byHead(tf, tf.linalg.matMul(rows, layer.query().read()));
            Operand<TFloat32> k = byHead(tf, tf.linalg.matMul(rows, layer.key().read()));
            Operand<TFloat32> v = byHead(tf, tf.linalg.matMul(rows, layer.value().read()));
            // [B, heads, m, m] and the weighted values [B, heads, m, w] as broadcast products and
            // sums: their gradients are in TensorFlow's C++ registry, which addGradients uses.
            Operand<TFloat32> scores = tf.sum(tf.math.mul(tf.expandDims(q, tf.constant(3)),
                    tf.expandDims(k, tf.constant(2))), tf.constant(4));
            Operand<TFloat32> weights = tf.nn.softmax(scores);
            Operand<TFloat32> attended = tf.sum(tf.math.mul(tf.expandDims(weights, tf.constant(4)),
                    tf.expandDims(v, tf.constant(2))), tf.constant(3));
            Operand<TFloat32> joined = tf.reshape(tf.linalg.transpose(attended, tf.constant(new int[] {0, 2, 1, 3})),
                    tf.constant(new int[] {-1, fields, width}));
            Operand<TFloat32> residual = tf.reshape(tf.linalg.matMul(rows, layer.residual().read()),
                    tf.constant(new int[] {-1, fields, width}));
            x = tf.nn.relu(tf.math.add(joined, residual));
        }
        Operand<TFloat32> flat = tf.reshape(x, tf.constant(new int[] {-1, fields * width}));
        Operand<TFloat32> out = tf.math.add(tf.linalg.matMul(flat, outputWeights.read()), outputBias.read());
        return tf.reshape(out, tf.constant(new int[] {-1}));
    }

    /** [B * m, heads * w] to [B, heads, m, w]. */
    private Operand<TFloat32> byHead(Ops tf, Operand<TFloat32> projected) {
        Operand<TFloat32> split = tf.reshape(projected, tf.constant(new int[] {-1, fields, heads, headWidth}));
        return tf.linalg.transpose(split, tf.constant(new int[] {0, 2, 1, 3}));
    }
}
