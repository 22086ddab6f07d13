package dev.streamfm.config;

import dev.streamfm.features.FeatureSpec;
import dev.streamfm.model.ModelConfig;
import dev.streamfm.model.ModelFingerprint;
import dev.streamfm.model.ModelType;
import dev.streamfm.model.SparseOptimizer;
import dev.streamfm.synth.SynthShape;

import java.nio.file.Path;
import java.util.List;

/**
 * The feature spec and model hyper-parameters the configuration describes: the spec file if
 * given, else the spec of the configured synthetic shape; sizes default to the shape's.
 */
public record ModelSetup(String modelName, FeatureSpec spec, ModelConfig modelConfig, SynthShape shape) {

    public static ModelSetup from(StreamfmConfig cfg) {
        SynthShape shape = SynthShape.parse(cfg.get(Settings.SHAPE));
        String specFile = cfg.get(Settings.SPEC_FILE);
        FeatureSpec spec = specFile.isBlank() ? FeatureSpec.forShape(shape) : FeatureSpec.load(Path.of(specFile));
        int dim = cfg.getInt(Settings.EMBEDDING_DIM);
        List<Integer> hidden = cfg.getIntList(Settings.HIDDEN_UNITS);
        ModelConfig base = ModelConfig.defaults(ModelType.parse(cfg.get(Settings.MODEL_TYPE)),
                dim == 0 ? shape.embeddingDim() : dim, hidden.isEmpty() ? shape.hiddenUnits() : hidden);
        ModelConfig mc = new ModelConfig(base.type(), base.embeddingDim(), base.hiddenUnits(),
                cfg.getBoolean(Settings.BATCH_NORM), cfg.getDouble(Settings.DROPOUT),
                SparseOptimizer.parse(cfg.get(Settings.OPTIMIZER)), cfg.getDouble(Settings.EMBEDDING_LR),
                cfg.getDouble(Settings.DENSE_LR), cfg.getDouble(Settings.L1), cfg.getDouble(Settings.L2),
                cfg.getDouble(Settings.INIT_ACCUMULATOR), base.initStddev(), cfg.getLong(Settings.SEED));
        return new ModelSetup(cfg.get(Settings.MODEL_NAME), spec, mc, shape);
    }

    /** What the model's parameters mean; model blocks carry it. */
    public long fingerprint() {
        return ModelFingerprint.of(spec, modelConfig);
    }
}
