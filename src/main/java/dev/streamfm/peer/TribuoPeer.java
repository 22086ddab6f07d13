package dev.streamfm.peer;

import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.sgd.fm.FMClassificationTrainer;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.common.sgd.AbstractSGDTrainer;
import org.tribuo.math.optimisers.AdaGrad;

/**
 * The Tribuo learners {@code bench peer} trains next to StreamFM's: logistic regression and a
 * factorization machine by per-example AdaGrad (minibatch 1: Tribuo's FM needs it, and it is what
 * online learning from one pass means), one epoch in stream order (no shuffle), so each sees the
 * stream once, as StreamFM does. AdaGrad at learning rate 0.1 (epsilon 0.1) for both, chosen once,
 * not tuned per log, like StreamFM's defaults.
 */
public enum TribuoPeer {

    LR("tribuo-lr"),
    FM("tribuo-fm");

    private static final int EPOCHS = 1;
    private static final int MINIBATCH = 1;
    /** Tribuo logs every this many examples; beyond any stream here, so it stays quiet. */
    private static final int NO_LOGGING = Integer.MAX_VALUE;
    private static final double LEARNING_RATE = 0.1;
    private static final double ADAGRAD_EPSILON = 0.1;
    private static final double FACTOR_INIT_VARIANCE = 0.1;

    private final String label;

    TribuoPeer(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** A fresh trainer; {@code factors} is the FM's factor size (StreamFM's embedding dimension, for a fair match). */
    Trainer<Label> trainer(int factors, long seed) {
        AdaGrad adagrad = new AdaGrad(LEARNING_RATE, ADAGRAD_EPSILON);
        AbstractSGDTrainer<Label, ?, ?, ?> t = switch (this) {
            case LR -> new LinearSGDTrainer(new LogMulticlass(), adagrad, EPOCHS, NO_LOGGING, MINIBATCH, seed);
            case FM -> new FMClassificationTrainer(new LogMulticlass(), adagrad, EPOCHS, NO_LOGGING, MINIBATCH, seed,
                    factors, FACTOR_INIT_VARIANCE);
        };
        t.setShuffle(false);
        return t;
    }
}
