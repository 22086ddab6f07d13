package dev.streamfm.model;

import dev.streamfm.features.FeatureLayout;
import dev.streamfm.model.tf.TfModel;

/** Creates models; the one place that knows which implementation backs the {@link Model} interface. */
public final class Models {

    private Models() {
    }

    /**
     * A freshly initialised model of {@code config.type()} over {@code layout}. It owns a TensorFlow
     * graph and session: close it. The first model created in a process fixes TensorFlow's thread
     * pools for every later one (see {@link dev.streamfm.model.tf.SessionConfig}).
     *
     * With admission or expiry on, ids reach the tables through {@link AdmittedModel}; with
     * automatic decoupling, steps go through {@link AutoDecoupledModel}.
     *
     * @throws IllegalArgumentException when the layout is unusable (no fields, a slot pointing at no field)
     */
    public static Model create(ModelConfig config, FeatureLayout layout) {
        return create(config, layout, ModelUse.TRAINING);
    }

    /** As {@link #create(ModelConfig, FeatureLayout)}, for {@code use}: a scoring model holds no optimizer state. */
    public static Model create(ModelConfig config, FeatureLayout layout, ModelUse use) {
        Model tables = new TfModel(config, layout, use);
        try {
            Model model = config.sharing() == EmbeddingSharing.AUTO ? new AutoDecoupledModel(tables) : tables;
            return config.admission().enabled() ? new AdmittedModel(model) : model;
        } catch (RuntimeException e) {
            tables.close();
            throw e;
        }
    }
}
