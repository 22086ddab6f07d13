package dev.streamfm.model.tf;

import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

import java.util.List;

/**
 * Everything a {@link TfModel} runs, built once by {@link ModelGraphBuilder}.
 *
 * @param probability inference probabilities: moving BN statistics, no dropout ops. In a train
 *                    step it is computed from the same pre-update reads, for progressive validation.
 * @param trainLogit  the training forward (batch BN statistics, dropout) the loss is taken on
 * @param loss        mean log loss of the training forward
 * @param objective   loss plus L2: what the gradients differentiate
 * @param train       target that applies every update (sparse Adagrad, Adam, BN moving averages)
 * @param touchedRows the distinct table rows of the batch, the order of table gradients
 * @param parameters  every trainable variable, tables first
 * @param fieldPaths  the field outputs the model reads, with their gradients
 */
record ModelGraph(ModelInputs inputs, VariableIO variables, Operand<TFloat32> probability,
                  Operand<TFloat32> trainLogit, Operand<TFloat32> loss, Operand<TFloat32> objective, Op train,
                  Operand<TInt32> touchedRows, List<ParameterTrace> parameters, List<FieldPath> fieldPaths,
                  GradientAnalysis analysis) {
}
