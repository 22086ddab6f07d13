package dev.streamfm.stream;

import dev.streamfm.features.FeatureBatch;
import dev.streamfm.model.Model;
import dev.streamfm.model.ModelBlocks;
import dev.streamfm.schema.ModelBlock;

import java.util.List;

/**
 * The scorer's copy of the model. Blocks are applied by the follower thread as soon as they
 * arrive (so freshness does not depend on traffic) and batches are scored by the stream
 * threads; one lock keeps them apart, so a batch is always scored by one consistent set of rows
 * and no TensorFlow write ever races a read.
 */
public final class ModelReplica implements AutoCloseable {

    private final Model model;
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

    /** Applies newly published blocks and reports their freshness. */
    public void apply(List<ModelBlock> blocks) {
        apply(blocks, true);
    }

    /** Applies the blocks read while catching up, before scoring starts; their age is not freshness. */
    public void applyCatchUp(List<ModelBlock> blocks) {
        apply(blocks, false);
    }

    private synchronized void apply(List<ModelBlock> blocks, boolean reportFreshness) {
        if (blocks.isEmpty()) {
            return;
        }
        ModelBlocks.applyAll(model, blocks);
        for (ModelBlock b : blocks) {
            version = Math.max(version, b.getVersion());
        }
        model.setStep(version);
        if (reportFreshness) {
            long now = System.currentTimeMillis();
            for (ModelBlock b : blocks) {
                freshness.onApplied(b, Math.max(0, now - b.getWrittenAt().toEpochMilli()) / 1000.0);
            }
        }
    }

    /** Scores a batch. */
    public synchronized Scored score(FeatureBatch batch) {
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
