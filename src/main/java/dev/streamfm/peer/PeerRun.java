package dev.streamfm.peer;

import dev.streamfm.evaluation.LabeledEvent;
import dev.streamfm.evaluation.Metrics;
import dev.streamfm.features.FeatureSpec;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.provenance.SimpleDataSourceProvenance;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One Tribuo learner trained once over a stream and scored on a holdout with the model frozen.
 *
 * @param peer          which learner
 * @param model         the trained Tribuo model
 * @param scores        its click probability for each holdout example, in order
 * @param labels        the holdout labels
 * @param holdout       metrics of the scores, computed as StreamFM's are
 * @param trainExamples examples it trained on
 * @param trainSeconds  wall time of the training pass, building Tribuo's examples included (StreamFM's
 *                      figure includes its feature pipeline too)
 */
public record PeerRun(TribuoPeer peer, Model<Label> model, float[] scores, byte[] labels, Metrics holdout,
                      int trainExamples, double trainSeconds) {

    /**
     * Tribuo logs two INFO lines per training run to stderr, which would bury the bench's own output;
     * held here because java.util.logging keeps only weak references to its loggers.
     */
    private static final Logger TRIBUO_LOG = Logger.getLogger("org.tribuo");

    static {
        TRIBUO_LOG.setLevel(Level.WARNING);
    }

    public double examplesPerSecond() {
        return trainExamples / trainSeconds;
    }

    public static PeerRun train(TribuoPeer peer, FeatureSpec spec, int factors, long seed,
                                Iterator<? extends LabeledEvent> training, Iterator<? extends LabeledEvent> holdout) {
        TribuoExamples examples = new TribuoExamples(spec);
        long start = System.nanoTime();
        LabelFactory factory = new LabelFactory();
        MutableDataset<Label> data = new MutableDataset<>(new SimpleDataSourceProvenance("streamfm stream", factory),
                factory);
        while (training.hasNext()) {
            data.add(examples.of(training.next()));
        }
        Model<Label> model = peer.trainer(factors, seed).train(data);
        double seconds = (System.nanoTime() - start) / 1e9;

        List<Example<Label>> test = new ArrayList<>();
        holdout.forEachRemaining(e -> test.add(examples.of(e)));
        float[] scores = new float[test.size()];
        byte[] labels = new byte[test.size()];
        List<Prediction<Label>> predictions = model.predict(test);
        for (int i = 0; i < scores.length; i++) {
            scores[i] = (float) probabilityOfClick(predictions.get(i));
            labels[i] = (byte) (TribuoExamples.POSITIVE.equals(test.get(i).getOutput().getLabel()) ? 1 : 0);
        }
        return new PeerRun(peer, model, scores, labels, Metrics.of(scores, labels), data.size(), seconds);
    }

    /** Tribuo's probability of the positive class; a model that never saw a click has none and gives 0. */
    static double probabilityOfClick(Prediction<Label> p) {
        Label positive = p.getOutputScores().get(TribuoExamples.POSITIVE);
        return positive == null ? 0 : positive.getScore();
    }
}
