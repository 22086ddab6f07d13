package dev.streamfm.cli;

import dev.streamfm.model.ModelConfig;
import dev.streamfm.model.ModelType;
import dev.streamfm.model.SparseOptimizer;
import dev.streamfm.synth.SynthShape;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.Optional;

/** The model an offline command trains (eval, analyze), with the sizes of a synthetic shape as defaults. */
final class ModelOptions {

    @Option(names = "--model", defaultValue = "deepfm", paramLabel = "lr|fm|deepfm|deepfm-decoupled",
            description = "model variant (default: ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--batch", defaultValue = "256", description = "micro-batch size (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--embedding-dim", description = "D (default: the shape's, 16 for files)")
    Integer embeddingDim;

    @Option(names = "--hidden", split = ",", paramLabel = "UNITS",
            description = "DNN widths, e.g. 400,400,400 (default: the shape's, 400,400,400 for files)")
    List<Integer> hidden;

    @Option(names = "--optimizer", paramLabel = "adagrad|ftrl",
            description = "optimizer of the tables, per-example updates (default: ModelConfig.defaults)")
    String optimizer;

    @Option(names = "--lr", description = "learning rate of the table optimizer (default: ModelConfig.defaults)")
    Double embeddingLr;

    @Option(names = "--dense-lr", description = "Adam learning rate of the dense layers")
    Double denseLr;

    @Option(names = "--l1", description = "FTRL L1 strength on the tables (ftrl only)")
    Double l1;

    @Option(names = "--l2", description = "L2 penalty on the table rows a batch reads")
    Double l2;

    @Option(names = "--dropout", description = "dropout rate of the hidden layers")
    Double dropout;

    @Option(names = "--batch-norm", description = "batch normalisation after each hidden layer")
    boolean batchNorm;

    @Option(names = "--init-accumulator", description = "initial accumulator of the table optimizer")
    Double initAccumulator;

    @Option(names = "--init-stddev", description = "stddev of the embedding initialisation")
    Double initStddev;

    @Option(names = "--model-seed", description = "seed of the model's initialisation")
    Long modelSeed;

    int batch() {
        InputOptions.require(batch >= 1, "--batch must be >= 1, got " + batch);
        return batch;
    }

    /** The default configuration of a model type on a synthetic shape (its sizes) or a file (D=16, 400-400-400). */
    static ModelConfig defaults(ModelType type, Optional<SynthShape> shape) {
        return ModelConfig.defaults(type, shape.map(SynthShape::embeddingDim).orElse(16),
                shape.map(SynthShape::hiddenUnits).orElse(List.of(400, 400, 400)));
    }

    ModelConfig config(Optional<SynthShape> shape) {
        ModelType type = ModelType.parse(model);
        ModelConfig sized = defaults(type, shape);
        ModelConfig d = ModelConfig.defaults(type, embeddingDim != null ? embeddingDim : sized.embeddingDim(),
                hidden != null ? hidden : sized.hiddenUnits());
        return new ModelConfig(type, d.embeddingDim(), d.hiddenUnits(), batchNorm,
                dropout != null ? dropout : d.dropout(),
                optimizer != null ? SparseOptimizer.parse(optimizer) : d.optimizer(),
                embeddingLr != null ? embeddingLr : d.embeddingLr(),
                denseLr != null ? denseLr : d.denseLr(),
                l1 != null ? l1 : d.l1(),
                l2 != null ? l2 : d.l2(),
                initAccumulator != null ? initAccumulator : d.initAccumulator(),
                initStddev != null ? initStddev : d.initStddev(),
                modelSeed != null ? modelSeed : d.seed(), d.feedback());
    }
}
