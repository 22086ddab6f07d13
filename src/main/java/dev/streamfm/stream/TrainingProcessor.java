package dev.streamfm.stream;

import dev.streamfm.features.BatchBuilder;
import dev.streamfm.features.FeatureBatch;
import dev.streamfm.features.FeatureSpec;
import dev.streamfm.evaluation.Metrics;
import dev.streamfm.evaluation.RollingWindow;
import dev.streamfm.features.FeatureStats;
import dev.streamfm.model.Model;
import dev.streamfm.model.ModelBlocks;
import dev.streamfm.schema.LabeledExample;
import dev.streamfm.schema.ModelBlock;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The single writer of one model: predict-then-train on micro-batches of examples, and publish
 * the changed model blocks at every checkpoint.
 *
 * <p>TensorFlow memory is only a cache (README, Exactly-once and crashes). What survives a crash is in logged
 * stores that commit in the same transaction as the input offsets and the checkpoint's blocks on
 * the model topic: the step of the last checkpoint, the examples-topic offset it covers, and the
 * offset where each training step since then ended. The blocks are read back from the model topic
 * ({@link ModelFollower#checkpoint}) and the examples from the examples topic ({@link ExampleLog}),
 * which hold them anyway: logging a second copy of each example, and of each block, cost the
 * trainer more than half its throughput (architecture.md, section 4). init() runs after the
 * stores are restored: it loads the checkpoint, replays the logged steps with their original batch boundaries (which recreates
 * the model exactly, dropout included, as its RNG is seeded by the step) and puts the examples of
 * the unfinished batch back in the batch.
 */
final class TrainingProcessor implements Processor<String, LabeledExample, String, ModelBlock> {

    static final String STEPS_STORE = "trainer-steps";
    static final String META_STORE = "trainer-meta";

    private static final Logger log = LoggerFactory.getLogger(TrainingProcessor.class);
    /** The offset after the last example received. */
    private static final String NEXT_OFFSET = "next_offset";
    private static final String CHECKPOINT_STEP = "checkpoint_step";
    /** The first offset the last checkpoint does not cover: where a replay starts. */
    private static final String CHECKPOINT_OFFSET = "checkpoint_offset";
    /** Set by versions that logged every example in a store of their own: their steps count examples. */
    private static final String LEGACY_NEXT_SEQ = "next_seq";
    private static final String LEGACY_CHECKPOINT_SEQ = "checkpoint_seq";
    private static final long NONE = -1;

    private final TrainerSettings settings;
    private final FeatureSpec spec;
    private final Supplier<Model> modelFactory;
    private final TrainingObserver observer;
    private final ExampleLog.Opener exampleLog;
    private final CheckpointReader checkpointReader;
    private final List<LabeledExample> batch = new ArrayList<>();
    /**
     * Progressive validation over the last examples, reported with every checkpoint's blocks for
     * the scorers' quality gate (README, "Model quality gate"). Memory only: after a restart it
     * holds the replayed steps' predictions, so the first checkpoints report fewer examples.
     */
    private RollingWindow online;

    private ProcessorContext<String, ModelBlock> context;
    private KeyValueStore<Long, Long> steps;
    private KeyValueStore<String, Long> meta;
    private Model model;
    private BatchBuilder builder;
    private BitSet dirtyRows;
    private boolean fullCheckpointNeeded;
    private long nextOffset;
    private long batchStartOffset;
    private boolean redeliveryLogged;
    private long batchOpenedAt;
    private long firstUnpublishedStepAt;

    TrainingProcessor(TrainerSettings settings, FeatureSpec spec, Supplier<Model> modelFactory,
                      TrainingObserver observer, ExampleLog.Opener exampleLog, CheckpointReader checkpointReader) {
        this.settings = settings;
        this.spec = spec;
        this.modelFactory = modelFactory;
        this.observer = observer;
        this.exampleLog = exampleLog;
        this.checkpointReader = checkpointReader;
    }

    @Override
    public void init(ProcessorContext<String, ModelBlock> context) {
        this.context = context;
        steps = context.getStateStore(STEPS_STORE);
        meta = context.getStateStore(META_STORE);
        // Kafka Streams may init a processor again after closing it (a task revived after a
        // dirty close): the open batch is rebuilt from the restored stores, never kept.
        batch.clear();
        online = new RollingWindow(settings.qualityWindow());
        model = modelFactory.get();
        builder = new BatchBuilder(spec, new FeatureStats(), settings.batchSize());
        dirtyRows = new BitSet((int) model.layout().totalRows());
        try {
            restore();
        } catch (RuntimeException e) {
            // Kafka Streams retries init(): each attempt must not leave a TensorFlow model behind.
            close();
            throw e;
        }
        context.schedule(Duration.ofMillis(settings.checkpointIntervalMs()), PunctuationType.WALL_CLOCK_TIME,
                now -> checkpoint());
        if (settings.batchMaxMs() > 0) {
            context.schedule(Duration.ofMillis(Math.max(1, settings.batchMaxMs() / 4)), PunctuationType.WALL_CLOCK_TIME,
                    now -> {
                        if (!batch.isEmpty() && now - batchOpenedAt >= settings.batchMaxMs()) {
                            train(true);
                        }
                    });
        }
    }

    private void restore() {
        // Before the first checkpoint the model is the factory's: fresh at step 0, or a warm start
        // (streamfm.model.init) that keeps the step it was saved at.
        Long checkpointed = meta.get(CHECKPOINT_STEP);
        long checkpointStep = checkpointed == null ? model.step() : checkpointed;
        dropLegacyReplayState(checkpointStep);
        nextOffset = get(meta, NEXT_OFFSET, NONE);
        long start = get(meta, CHECKPOINT_OFFSET, nextOffset);
        List<ModelBlock> stored = checkpointed == null ? List.of() : checkpointReader.read(checkpointStep);
        if (checkpointed != null) {
            Map<String, Long> uncovered = ModelBlocks.uncovered(model, stored);
            if (!uncovered.isEmpty()) {
                throw new IllegalStateException("the model topic lacks blocks of model '" + settings.modelName()
                        + "' at or before its checkpoint at step " + checkpointStep + " (rows missing per variable: "
                        + uncovered + "): was the model topic deleted or recreated? Reset the trainer's application "
                        + "(README, Exactly-once and crashes) to train the model again from the start");
            }
        }
        ModelBlocks.applyAll(model, stored);
        int blocks = stored.size();
        fullCheckpointNeeded = blocks == 0;
        model.setStep(checkpointStep);
        int replayed = 0;
        if (start < nextOffset) {
            try (ExampleLog log = exampleLog.open(context.taskId().partition());
                 KeyValueIterator<Long, Long> it = steps.all()) {
                while (it.hasNext()) {
                    KeyValue<Long, Long> step = it.next();
                    batch.addAll(log.read(start, step.value));
                    train(false);
                    start = step.value;
                    replayed++;
                }
                batch.addAll(log.read(start, nextOffset));
            }
        }
        batchStartOffset = start;
        batchOpenedAt = context.currentSystemTimeMs();
        firstUnpublishedStepAt = replayed > 0 ? context.currentSystemTimeMs() : 0;
        observer.onModelVersion(model.step());
        log.info("Trainer for model '{}' restored: checkpoint at step {} ({} blocks), {} logged steps replayed, "
                        + "{} examples back in the open batch; model version {}", settings.modelName(), checkpointStep,
                blocks, replayed, batch.size(), model.step());
    }

    /**
     * State of a version that logged every example in a store of its own counts steps in examples,
     * not offsets, and that store is gone: the checkpoint is restored and the few examples since
     * it (at most one checkpoint interval's worth) are not replayed.
     */
    private void dropLegacyReplayState(long checkpointStep) {
        if (meta.get(LEGACY_NEXT_SEQ) == null) {
            return;
        }
        log.warn("Trainer for model '{}' restores state written by an earlier version: it continues from its "
                + "checkpoint at step {}; the examples received after that checkpoint are not trained again",
                settings.modelName(), checkpointStep);
        List<Long> logged = new ArrayList<>();
        try (KeyValueIterator<Long, Long> it = steps.all()) {
            it.forEachRemaining(kv -> logged.add(kv.key));
        }
        logged.forEach(steps::delete);
        meta.delete(LEGACY_NEXT_SEQ);
        meta.delete(LEGACY_CHECKPOINT_SEQ);
    }

    @Override
    public void process(Record<String, LabeledExample> record) {
        long offset = context.recordMetadata().orElseThrow().offset();
        if (offset < nextOffset) {
            // Only under at-least-once: input redelivered after a crash that this trainer's logged
            // state already covers. Training it twice would weight it twice.
            if (!redeliveryLogged) {
                log.info("Trainer for model '{}' skips examples from offset {} up to {}: already trained before "
                        + "a restart (at-least-once redelivery)", settings.modelName(), offset, nextOffset);
                redeliveryLogged = true;
            }
            return;
        }
        if (nextOffset == NONE) {
            batchStartOffset = offset;
            meta.put(CHECKPOINT_OFFSET, offset);
        }
        if (batch.isEmpty()) {
            batchOpenedAt = context.currentSystemTimeMs();
        }
        nextOffset = offset + 1;
        meta.put(NEXT_OFFSET, nextOffset);
        batch.add(record.value());
        if (batch.size() >= settings.batchSize()) {
            train(true);
        }
    }

    /**
     * One predict-then-train step on the open batch. Live steps log where they ended, so a
     * replay cuts the same batches; replayed steps (live=false) report nothing.
     */
    private void train(boolean live) {
        float[] labels = new float[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            labels[i] = batch.get(i).getLabel();
        }
        FeatureBatch features = BatchBuilders.ofValidated(builder, batch, LabeledExample::getEvent);
        long stepBefore = model.step();
        // Replayed steps run the analysis too (and drop it): the analysed graph may fuse or order
        // float operations differently, and a replay must repeat the live computation bit for bit.
        long t0 = System.nanoTime();
        var result = model.trainStep(features, labels, settings.analysis().at(stepBefore));
        double seconds = (System.nanoTime() - t0) / 1e9;
        for (int r : result.changedRows()) {
            dirtyRows.set(r);
        }
        online.addAll(result.predictions(), labels);
        if (live) {
            steps.put(model.step(), nextOffset);
            batchStartOffset = nextOffset;
            if (firstUnpublishedStepAt == 0) {
                firstUnpublishedStepAt = context.currentSystemTimeMs();
            }
            observer.onStep(batch, labels, result, seconds);
        }
        batch.clear();
    }

    /** Publishes the blocks changed since the last checkpoint and forgets the steps they cover. */
    private void checkpoint() {
        long step = model.step();
        long lastCheckpoint = get(meta, CHECKPOINT_STEP, 0L);
        if (!fullCheckpointNeeded && step == lastCheckpoint) {
            return;
        }
        long writtenAt = firstUnpublishedStepAt > 0 ? firstUnpublishedStepAt : context.currentSystemTimeMs();
        Metrics quality = online.metrics();
        List<ModelBlock> blocks = ModelBlocks.withQuality(ModelBlocks.changed(model, settings.modelName(),
                        settings.fingerprint(), fullCheckpointNeeded ? null : dirtyRows, settings.blockRows(), writtenAt),
                quality.auc(), quality.logloss(), quality.examples());
        for (ModelBlock b : blocks) {
            context.forward(new Record<>(ModelBlocks.key(b.getModel(), b.getVariable(), b.getBlock()), b,
                    context.currentSystemTimeMs()));
        }
        List<Long> done = new ArrayList<>();
        try (KeyValueIterator<Long, Long> it = steps.all()) {
            it.forEachRemaining(kv -> done.add(kv.key));
        }
        done.forEach(steps::delete);
        meta.put(CHECKPOINT_STEP, step);
        if (batchStartOffset != NONE) {
            meta.put(CHECKPOINT_OFFSET, batchStartOffset);
        }
        dirtyRows.clear();
        fullCheckpointNeeded = false;
        firstUnpublishedStepAt = 0;
        observer.onCheckpoint(step, blocks.size(), quality);
        observer.onModelVersion(step);
    }

    /** The blocks of the checkpoint at a step. */
    @FunctionalInterface
    interface CheckpointReader {
        List<ModelBlock> read(long step);
    }

    private static <K> long get(KeyValueStore<K, Long> store, K key, long def) {
        Long v = store.get(key);
        return v == null ? def : v;
    }

    @Override
    public void close() {
        if (model != null) {
            model.close();
            model = null;
        }
    }
}
