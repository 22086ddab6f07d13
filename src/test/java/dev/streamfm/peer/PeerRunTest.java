package dev.streamfm.peer;

import dev.streamfm.evaluation.BruteForce;
import dev.streamfm.features.FeatureSpec;
import dev.streamfm.synth.SynthConfig;
import dev.streamfm.synth.SynthShape;
import dev.streamfm.synth.SyntheticExample;
import dev.streamfm.synth.SyntheticGenerator;
import org.junit.jupiter.api.Test;
import org.tribuo.Model;
import org.tribuo.classification.Label;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The peer's reported holdout AUC is the AUC of what its Tribuo model predicts: recomputed here by
 * asking the model again, event by event, and counting every (click, non-click) pair.
 */
class PeerRunTest {

    private static final SynthShape SHAPE = SynthShape.FRAPPE_LIKE;
    private static final int TRAIN = 20_000;
    private static final int HOLDOUT = 3_000;

    @Test
    void reportedAucIsThePairwiseAucOfTheModelsOwnPredictions() {
        SyntheticGenerator g = new SyntheticGenerator(SHAPE, SynthConfig.defaults(5));
        FeatureSpec spec = FeatureSpec.forShape(SHAPE);
        for (TribuoPeer peer : TribuoPeer.values()) {
            PeerRun run = PeerRun.train(peer, spec, SHAPE.embeddingDim(), 1, g.examples(0, TRAIN),
                    g.examples(TRAIN, TRAIN + HOLDOUT));
            assertEquals(TRAIN, run.trainExamples());
            assertEquals(HOLDOUT, run.scores().length);

            List<SyntheticExample> holdout = new ArrayList<>();
            g.examples(TRAIN, TRAIN + HOLDOUT).forEachRemaining(holdout::add);
            float[] p = new float[HOLDOUT];
            byte[] y = new byte[HOLDOUT];
            Model<Label> model = run.model();
            TribuoExamples examples = new TribuoExamples(spec);
            for (int i = 0; i < HOLDOUT; i++) {
                SyntheticExample e = holdout.get(i);
                Label positive = model.predict(examples.of(e)).getOutputScores().get("1");
                p[i] = (float) positive.getScore();
                y[i] = (byte) e.label();
            }
            double auc = BruteForce.auc(p, y, 0, HOLDOUT);
            assertEquals(auc, run.holdout().auc(), 1e-12, peer.label());
            assertTrue(auc > 0.65, peer.label() + " learned nothing: AUC " + auc);
            assertTrue(run.examplesPerSecond() > 0);
        }
    }
}
