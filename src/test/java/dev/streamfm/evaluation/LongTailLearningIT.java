package dev.streamfm.evaluation;

import dev.streamfm.model.AdmissionConfig;
import dev.streamfm.model.ModelConfig;
import dev.streamfm.model.ModelType;
import dev.streamfm.synth.SynthShape;
import org.junit.jupiter.api.Test;

import static dev.streamfm.evaluation.PrequentialLearningIT.windowAndBayes;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The learning contract on the long-tail workload (ids that keep coming, most seen a few times),
 * with default settings, over the last 100k of 300k events: DeepFM within 0.02 AUC of the
 * Bayes-optimal ceiling (the target; reached since the bias and first-order tables accumulate
 * per-example squares, and with feature admission and expiry on, which are off by default), and
 * FM at least 0.02 above LR, since most of what LR misses is the
 * teacher's interactions. A model that learned nothing from rare ids stays ~0.011 short of the
 * ceiling even if it knew the head ids perfectly (SynthShape.LONG_TAIL), so the first target
 * leaves it only ~0.009 for everything else.
 */
class LongTailLearningIT {

    private static final SynthShape SHAPE = SynthShape.LONG_TAIL;

    @Test
    void deepFmComesCloseToBayesOptimal() {
        Metrics[] m = windowAndBayes(SHAPE, ModelType.DEEPFM);
        // The target is 0.02; measured 0.0190 on 2026-12-03 with the defaults (squared gradients
        // first-order; 0.0201 with batch, the default before; README, Defaults and why), which leave
        // admission off.
        assertTrue(m[0].auc() >= m[1].auc() - 0.02,
                "DeepFM AUC " + m[0].auc() + " vs Bayes-optimal " + m[1].auc());
    }

    /**
     * Feature admission and expiry close the gap further (README, Feature admission and expiry:
     * measured 0.0188 at min count 3, expiry 20k examples with squared gradients batch; 0.0182 with
     * first-order on 2026-12-03); they are not the default because they cost the real Frappe log
     * holdout AUC.
     */
    @Test
    void deepFmWithAdmissionAndExpiryComesWithinTwoHundredthsOfBayesOptimal() {
        ModelConfig admitting = ModelConfig.builder(ModelType.DEEPFM).sizes(SHAPE.embeddingDim(), SHAPE.hiddenUnits())
                .admission(new AdmissionConfig(3, 20_000)).build();
        Metrics[] m = windowAndBayes(SHAPE, admitting);
        assertTrue(m[0].auc() >= m[1].auc() - 0.02,
                "DeepFM with admission AUC " + m[0].auc() + " vs Bayes-optimal " + m[1].auc());
    }

    @Test
    void factorizationMachineLearnsTheInteractionsLogisticRegressionCannot() {
        Metrics fm = windowAndBayes(SHAPE, ModelType.FM)[0];
        Metrics lr = windowAndBayes(SHAPE, ModelType.LR)[0];
        assertTrue(fm.auc() >= lr.auc() + 0.02, "FM AUC " + fm.auc() + " vs LR " + lr.auc());
    }
}
