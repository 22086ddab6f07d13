package dev.streamfm.stream;

import dev.streamfm.features.FeatureBatch;
import dev.streamfm.model.Model;
import dev.streamfm.model.ModelBlocks;
import dev.streamfm.schema.ModelBlock;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The scorer's copy of the model. The follower thread only queues blocks; the scoring threads
 * apply them between batches, so a batch is always scored by one consistent set of rows and no
 * TensorFlow write ever races a read.
 */
public final class ModelReplica implements AutoCloseable {

    private final Model model;
    private final ConcurrentLinkedQueue<ModelBlock> pending = new ConcurrentLinkedQueue<>();
    private final FreshnessListener freshness;
    private volatile long version;

    /** Told how long a block took from the trainer's step to this replica, in seconds. */
    public interface FreshnessListener {
        void onApplied(ModelBlock block, double seconds);
    }

    public ModelReplica(Model model, FreshnessListener freshness) {
        this.model = model;
        this.freshness = freshness;
        this.version = model.step();
    }

    /** Called by the follower; cheap and thread-safe. */
    public void offer(ModelBlock block) {
        pending.add(block);
    }

    /** Applies the blocks read while catching up, before scoring starts; their age is not freshness. */
    public int applyCatchUp() {
        return applyPending(false);
    }

    private synchronized int applyPending(boolean reportFreshness) {
        List<ModelBlock> applied = new ArrayList<>();
        ModelBlock b;
        while ((b = pending.poll()) != null) {
            applied.add(b);
            if (b.getVersion() > version) {
                version = b.getVersion();
            }
        }
        if (!applied.isEmpty()) {
            ModelBlocks.applyAll(model, applied);
            model.setStep(version);
        }
        if (reportFreshness) {
            long now = System.currentTimeMillis();
            for (ModelBlock a : applied) {
                freshness.onApplied(a, Math.max(0, now - a.getWrittenAt().toEpochMilli()) / 1000.0);
            }
        }
        return applied.size();
    }

    /** Scores a batch with the newest blocks applied first. */
    public synchronized Scored score(FeatureBatch batch) {
        applyPending(true);
        return new Scored(model.predict(batch), version);
    }

    /** Probabilities and the model version that produced them. */
    public record Scored(float[] probabilities, long version) {
    }

    public long version() {
        return version;
    }


    @Override
    public synchronized void close() {
        model.close();
    }
}
