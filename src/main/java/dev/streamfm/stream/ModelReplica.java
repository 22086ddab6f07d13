package dev.streamfm.stream;

import dev.streamfm.features.FeatureBatch;
import dev.streamfm.model.Model;
import dev.streamfm.model.ModelBlocks;
import dev.streamfm.schema.ModelBlock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The scorer's copy of the model. Blocks are applied by the follower thread as soon as they
 * arrive (so freshness does not depend on traffic) and batches are scored by the stream
 * threads; a read-write lock keeps writes apart from reads, so a batch is always scored by one
 * consistent set of rows and no TensorFlow write ever races a read, while stream threads score
 * at the same time (a session run is thread-safe, and one thread's scoring then overlaps another's
 * wait for its commit).
 *
 * <p>A block that does not belong to this model (another spec or configuration, another shape,
 * corrupt values, undecodable bytes) is refused before anything is written: counted, logged with
 * its reason, and the replica goes on serving the model it has.
 */
public final class ModelReplica implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ModelReplica.class);
    private static final long WARN_EVERY_MS = 60_000;

    private final Model model;
    private final long fingerprint;
    private final FreshnessListener freshness;
    private final RefusalListener refusals;
    private final Map<String, Long> lastWarned = new HashMap<>();
    private final ReadWriteLock rows = new ReentrantReadWriteLock();
    private volatile long version;

    /** Told how long a block took from the trainer's step to this replica, in seconds. */
    public interface FreshnessListener {
        void onApplied(ModelBlock block, double seconds);
    }

    /** Told of every block refused, with its low-cardinality reason. */
    public interface RefusalListener {
        void onRefused(String reason);
    }

    /**
     * @param fingerprint what this replica's parameters mean ({@link dev.streamfm.model.ModelFingerprint})
     */
    public ModelReplica(Model model, long fingerprint, FreshnessListener freshness, RefusalListener refusals) {
        this.model = model;
        this.fingerprint = fingerprint;
        this.freshness = freshness;
        this.refusals = refusals;
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

    /** A record on the model topic that is no model block. */
    void refuseUndecodable(String message) {
        refuse("undecodable", message);
    }

    public synchronized void refuse(String reason, String message) {
        refusals.onRefused(reason);
        long now = System.currentTimeMillis();
        Long last = lastWarned.get(reason);
        if (last == null || now - last >= WARN_EVERY_MS) {
            lastWarned.put(reason, now);
            log.warn("Model block refused ({}), the scorer keeps serving model version {}: {} (further refusals "
                    + "for this reason are counted in streamfm_model_blocks_refused_total and logged at most once a "
                    + "minute)", reason, version, message);
        }
    }

    private void apply(List<ModelBlock> blocks, boolean reportFreshness) {
        rows.writeLock().lock();
        try {
            applyLocked(blocks, reportFreshness);
        } finally {
            rows.writeLock().unlock();
        }
    }

    private void applyLocked(List<ModelBlock> blocks, boolean reportFreshness) {
        List<ModelBlock> fitting = new ArrayList<>(blocks.size());
        for (ModelBlock b : blocks) {
            ModelBlocks.Refusal r = ModelBlocks.refusal(model, fingerprint, b);
            if (r == null) {
                fitting.add(b);
            } else {
                refuse(r.reason(), r.message());
            }
        }
        if (fitting.isEmpty()) {
            return;
        }
        ModelBlocks.applyAll(model, fitting);
        for (ModelBlock b : fitting) {
            version = Math.max(version, b.getVersion());
        }
        model.setStep(version);
        if (reportFreshness) {
            long now = System.currentTimeMillis();
            for (ModelBlock b : fitting) {
                freshness.onApplied(b, Math.max(0, now - b.getWrittenAt().toEpochMilli()) / 1000.0);
            }
        }
    }

    /** Scores a batch. */
    public Scored score(FeatureBatch batch) {
        rows.readLock().lock();
        try {
            return new Scored(model.predict(batch), version);
        } finally {
            rows.readLock().unlock();
        }
    }

    /** Probabilities and the model version that produced them. */
    public record Scored(float[] probabilities, long version) {
    }

    /** What this replica's parameters mean. */
    public long fingerprint() {
        return fingerprint;
    }

    public long version() {
        return version;
    }

    @Override
    public void close() {
        rows.writeLock().lock();
        try {
            model.close();
        } finally {
            rows.writeLock().unlock();
        }
    }
}
