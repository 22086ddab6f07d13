package dev.streamfm.evaluation;

import dev.streamfm.features.FeatureSpec;
import dev.streamfm.model.Model;
import dev.streamfm.model.ModelConfig;
import dev.streamfm.model.ModelType;
import dev.streamfm.model.Models;
import dev.streamfm.synth.SynthConfig;
import dev.streamfm.synth.SynthShape;
import dev.streamfm.synth.SyntheticGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The learning contract of the planted teacher and the default hyper-parameters: after one
 * prequential pass over 300k frappe-like events, every variant with an interaction tower is within
 * 0.01 AUC of the Bayes-optimal ceiling over the last 100k, while logistic regression, which
 * cannot represent the teacher's pairwise and MLP terms, stays at least 0.02 below it.
 */
class PrequentialLearningIT {

    private static final SynthShape SHAPE = SynthShape.FRAPPE_LIKE;
    private static final int EVENTS = 300_000;
    private static final int WINDOW = 100_000;
    private static final int BATCH = 256;

    /** One prequential pass with default settings: the metrics over the last WINDOW events, and their Bayes-optimal ones. */
    static Metrics[] windowAndBayes(SynthShape shape, ModelType type) {
        return windowAndBayes(shape, ModelConfig.builder(type).sizes(shape.embeddingDim(), shape.hiddenUnits()).build());
    }

    /** The same pass with a model configured otherwise. */
    static Metrics[] windowAndBayes(SynthShape shape, ModelConfig config) {
        ModelType type = config.type();
        SyntheticGenerator generator = new SyntheticGenerator(shape, SynthConfig.defaults(shape, 1));
        FeatureSpec spec = FeatureSpec.forShape(shape);
        try (Model model = Models.create(config, spec.layout())) {
            PassResult pass = new PrequentialEvaluator(model, spec, BATCH).train(generator.examples(0, EVENTS),
                    n -> { });
            assertEquals(EVENTS, pass.examples());
            Metrics window = pass.scores().last(WINDOW);
            Metrics bayes = pass.scores().referenceLast(WINDOW).orElseThrow();
            System.out.printf(Locale.ROOT, "%s %-7s last %d: AUC %.4f logloss %.4f | Bayes AUC %.4f logloss %.4f | "
                            + "gap %.4f | %.1f s%n", shape.name(), type.label(), WINDOW, window.auc(), window.logloss(), bayes.auc(),
                    bayes.logloss(), bayes.auc() - window.auc(), pass.seconds());
            return new Metrics[] {window, bayes};
        }
    }

    @ParameterizedTest
    @EnumSource(value = ModelType.class, mode = EnumSource.Mode.EXCLUDE, names = "LR")
    void everyVariantWithInteractionsComesWithinOneHundredthOfBayesOptimal(ModelType type) {
        ModelConfig.Builder config = ModelConfig.builder(type).sizes(SHAPE.embeddingDim(), SHAPE.hiddenUnits());
        Metrics[] m = windowAndBayes(SHAPE, config.build());
        assertTrue(m[0].auc() >= m[1].auc() - 0.01,
                type.label() + " AUC " + m[0].auc() + " vs Bayes-optimal " + m[1].auc());
    }

    @Test
    void logisticRegressionCannotLearnTheInteractions() {
        Metrics[] m = windowAndBayes(SHAPE, ModelType.LR);
        assertTrue(m[0].auc() <= m[1].auc() - 0.02,
                "LR AUC " + m[0].auc() + " vs Bayes-optimal " + m[1].auc());
        assertTrue(m[0].auc() > 0.7, "LR still learns the first-order part: " + m[0].auc());
    }
}
