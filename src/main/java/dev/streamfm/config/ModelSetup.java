package dev.streamfm.config;

import dev.streamfm.features.FeatureSpec;
import dev.streamfm.model.AdmissionConfig;
import dev.streamfm.model.DecouplingRule;
import dev.streamfm.model.DelayedFeedback;
import dev.streamfm.model.EmbeddingSharing;
import dev.streamfm.model.ModelConfig;
import dev.streamfm.model.ModelFingerprint;
import dev.streamfm.model.ModelType;
import dev.streamfm.model.SparseOptimizer;
import dev.streamfm.model.SquaredGradients;
import dev.streamfm.model.Tower;
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
        String towers = cfg.get(Settings.TOWERS);
        ModelConfig mc = ModelConfig.builder(ModelType.parse(cfg.get(Settings.MODEL_TYPE)))
                .towers(towers.isBlank() ? null : Tower.parseList(towers))
                .sharing(cfg.get(Settings.SHARING).isBlank() ? null : EmbeddingSharing.parse(cfg.get(Settings.SHARING)))
                .decoupling(new DecouplingRule(cfg.getInt(Settings.DECOUPLING_EVERY),
                        cfg.getInt(Settings.DECOUPLING_WINDOW), cfg.getDouble(Settings.DECOUPLING_THRESHOLD)))
                .embeddingDim(dim == 0 ? shape.embeddingDim() : (int) dim)
                .hiddenUnits(hidden.isEmpty() ? shape.hiddenUnits() : hidden)
                .batchNorm(cfg.getBoolean(Settings.BATCH_NORM)).dropout(cfg.getDouble(Settings.DROPOUT))
                .optimizer(SparseOptimizer.parse(cfg.get(Settings.OPTIMIZER)))
                .embeddingLr(cfg.getDouble(Settings.EMBEDDING_LR)).denseLr(cfg.getDouble(Settings.DENSE_LR))
                .l1(cfg.getDouble(Settings.L1)).l2(cfg.getDouble(Settings.L2))
                .initAccumulator(cfg.getDouble(Settings.INIT_ACCUMULATOR))
                .squaredGradients(SquaredGradients.parse(cfg.get(Settings.SQUARED_GRADIENTS)))
                .seed(cfg.getLong(Settings.SEED))
                .cinLayers(cfg.getIntList(Settings.CIN_LAYERS))
                .attentionLayers(cfg.getInt(Settings.ATTENTION_LAYERS))
                .attentionHeads(cfg.getInt(Settings.ATTENTION_HEADS))
                .feedback(DelayedFeedback.parse(cfg.get(Settings.FEEDBACK)))
                .admission(new AdmissionConfig(cfg.getInt(Settings.ADMISSION_MIN_COUNT),
                        cfg.getLong(Settings.EXPIRY_EXAMPLES)))
                .build();
        return new ModelSetup(cfg.get(Settings.MODEL_NAME), spec, mc, shape);
    }

    /** What the model's parameters mean; model blocks carry it. */
    public long fingerprint() {
        return ModelFingerprint.of(spec, modelConfig);
    }
}
