package dev.streamfm.evaluation;

import dev.streamfm.features.BatchBuilder;
import dev.streamfm.features.FeatureSpec;
import dev.streamfm.features.FeatureStats;
import dev.streamfm.model.DelayedFeedback;
import dev.streamfm.model.Model;
import dev.streamfm.schema.ClickEvent;
import dev.streamfm.rejection.RecordRejectedException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.function.LongConsumer;

/**
 * The service's arrival order replayed offline, on simulated event time: events are scored in
 * micro-batches by the model as it stands, and training examples reach the model only when the
 * service would release them (README, "Delayed labels"): under window feedback each event
 * window + grace after its time with the label it ended with; under fake-negative feedback each
 * event as a negative right after it is scored and each attributed click as a positive when its
 * label arrives. Training runs in batches of the same size, a partial batch once its oldest
 * example has waited the trainer's deadline. The scores are what the service would have served,
 * measured against the labels at window close, so this is the offline reference for the AUC of
 * the predictions topic. Model-sync and processing delays of the real service are not simulated:
 * the model here is at most as old as the arrival order makes it.
 */
public final class DelayedFeedbackEvaluator {

    private record Due(long time, long sequence, ClickEvent event, float label) {
    }

    private static final Comparator<Due> ORDER = Comparator.comparingLong(Due::time).thenComparingLong(Due::sequence);

    private final Model model;
    private final int batchSize;
    private final LabelArrival arrival;
    private final BatchBuilder scoring;
    private final BatchBuilder training;
    private final PriorityQueue<Due> due = new PriorityQueue<>(ORDER);
    private final float[] trainLabels;
    private long sequence;
    private long oldestInTrainingBatch;
    private long steps;

    public DelayedFeedbackEvaluator(Model model, FeatureSpec spec, int batchSize, LabelArrival arrival) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        if (model.config().feedback() != arrival.feedback()) {
            throw new IllegalArgumentException("the model's loss is for " + model.config().feedback().label()
                    + " feedback, the arrival order for " + arrival.feedback().label());
        }
        this.model = model;
        this.batchSize = batchSize;
        this.arrival = arrival;
        this.scoring = new BatchBuilder(spec, new FeatureStats(), batchSize);
        this.training = new BatchBuilder(spec, new FeatureStats(), batchSize);
        this.trainLabels = new float[batchSize];
    }

    /** One pass in event-time order; reports consumed events to {@code progress}. */
    public PassResult run(Iterator<TimedEvent> stream, LongConsumer progress) {
        long start = System.nanoTime();
        ScoreLog log = new ScoreLog();
        Map<String, Long> rejected = new TreeMap<>();
        List<TimedEvent> batch = new ArrayList<>(batchSize);
        long consumed = 0;
        while (stream.hasNext()) {
            TimedEvent e = stream.next();
            consumed++;
            if (!LabeledInput.addOrCount(scoring, e.labeled(), rejected)) {
                continue;
            }
            batch.add(e);
            if (batch.size() == batchSize) {
                score(batch, log);
                progress.accept(consumed);
                consumed = 0;
            }
        }
        if (!batch.isEmpty()) {
            score(batch, log);
        }
        progress.accept(consumed);
        return new PassResult(log, rejected, steps, (System.nanoTime() - start) / 1e9);
    }

    private void score(List<TimedEvent> batch, ScoreLog log) {
        long now = batch.get(0).eventTime();
        trainDueBy(now);
        float[] p = model.predict(scoring.build());
        scoring.clear();
        for (int i = 0; i < batch.size(); i++) {
            TimedEvent e = batch.get(i);
            boolean positive = e.attributed(arrival.windowMs());
            log.add(p[i], (byte) (positive ? 1 : 0), e.labeled().knownProbability().orElse(Double.NaN));
            ClickEvent event = e.labeled().event();
            if (arrival.feedback() == DelayedFeedback.WINDOW) {
                due.add(new Due(e.eventTime() + arrival.releaseDelayMs(), sequence++, event, positive ? 1 : 0));
            } else {
                due.add(new Due(e.eventTime(), sequence++, event, 0));
                if (positive) {
                    due.add(new Due(e.clickTime(), sequence++, event, 1));
                }
            }
        }
        batch.clear();
    }

    /** Trains every example released by {@code now}, in full batches, and a partial one past its deadline. */
    private void trainDueBy(long now) {
        while (!due.isEmpty() && due.peek().time() <= now) {
            Due d = due.poll();
            if (training.size() == 0) {
                oldestInTrainingBatch = d.time();
            }
            try {
                training.add(d.event());
            } catch (RecordRejectedException impossible) {
                throw new IllegalStateException("an event accepted for scoring was refused for training", impossible);
            }
            trainLabels[training.size() - 1] = d.label();
            if (training.size() == batchSize) {
                trainBatch();
            }
        }
        if (training.size() > 0 && oldestInTrainingBatch + arrival.trainingMaxWaitMs() <= now) {
            trainBatch();
        }
    }

    private void trainBatch() {
        int n = training.size();
        model.trainStep(training.build(), n == batchSize ? trainLabels : Arrays.copyOf(trainLabels, n));
        training.clear();
        steps++;
    }
}
