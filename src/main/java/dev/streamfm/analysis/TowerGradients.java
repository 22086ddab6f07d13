package dev.streamfm.analysis;

/**
 * Per field f, over the (batch x D) gradients that the FM and the DNN tower send into field f's
 * embedding output: the inner product and the two squared norms. Cosine, dominance and
 * magnitude similarity all derive from these three numbers.
 *
 * @param sharedEmbedding false for a decoupled model, whose FM and DNN read separate tables
 */
public record TowerGradients(double[] dot, double[] fmNormSq, double[] dnnNormSq, boolean sharedEmbedding) {
}
