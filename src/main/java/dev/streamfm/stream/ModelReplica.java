package dev.streamfm.stream;

import dev.streamfm.features.FeatureBatch;
import dev.streamfm.model.Model;
import dev.streamfm.model.ModelBlocks;
import dev.streamfm.model.VariableInfo;
import dev.streamfm.schema.ModelBlock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Collectors;

/**
 * The scorer's copy of the model. Blocks are applied by the follower thread as soon as they
 * arrive (so freshness does not depend on traffic) and batches are scored by the stream threads;
 * a batch is always scored by one consistent set of rows and no TensorFlow write ever races a
 * read of the same copy, while stream threads score at the same time (a session run is
 * thread-safe, and one thread's scoring then overlaps another's wait for its commit).
 *
 * <p>With two copies (streamfm.scoring.model.copies, the default) an update is written into the
 * copy that is not being served and then swapped in, so scoring never waits for an update: on two
 * cores writing one checkpoint took 10-900 ms, all of it a pause in scoring with one copy (README,
 * "Scoring while the model updates"). The copy swapped out catches up with the same blocks at the
 * next update. One copy halves the memory; scoring then pauses while each update is written.
 * Either way only what inference reads is written: the optimizer slots' blocks, which the model
 * topic carries for the trainer's restore, are skipped (about half of a checkpoint's values).
 *
 * <p>A block that does not belong to this model (another spec or configuration, another shape,
 * corrupt values, undecodable bytes) is refused before anything is written: counted, logged with
 * its reason, and the replica goes on serving the model it has.
 */
public final class ModelReplica implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ModelReplica.class);
    private static final long WARN_EVERY_MS = 60_000;

    private final List<Copy> copies;
    private final Set<String> optimizerSlots;
    private final long fingerprint;
    private final FreshnessListener freshness;
    private final RefusalListener refusals;
    private final Map<String, Long> lastWarned = new HashMap<>();
    /** The copy batches are scored with; only the applying thread moves it. */
    private volatile Copy served;

    /** Told how long a block took from the trainer's step to this replica, in seconds. */
    public interface FreshnessListener {
        void onApplied(ModelBlock block, double seconds);
    }

    /** Told of every block refused, with its low-cardinality reason. */
    public interface RefusalListener {
        void onRefused(String reason);
    }

    /**
     * A replica with one copy of the model.
     *
     * @param fingerprint what this replica's parameters mean ({@link dev.streamfm.model.ModelFingerprint})
     */
    public ModelReplica(Model model, long fingerprint, FreshnessListener freshness, RefusalListener refusals) {
        this(List.of(model), fingerprint, freshness, refusals);
    }

    /**
     * A replica that serves one of {@code copies} (1 or 2 models of the same configuration and
     * state) while updates are written into the other.
     */
    public ModelReplica(List<Model> copies, long fingerprint, FreshnessListener freshness, RefusalListener refusals) {
        if (copies.isEmpty() || copies.size() > 2) {
            throw new IllegalArgumentException("a model replica keeps 1 or 2 copies, got " + copies.size());
        }
        this.copies = copies.stream().map(Copy::new).toList();
        this.optimizerSlots = copies.get(0).variables().stream().filter(VariableInfo::optimizerSlot)
                .map(VariableInfo::name).collect(Collectors.toSet());
        this.fingerprint = fingerprint;
        this.freshness = freshness;
        this.refusals = refusals;
        this.served = this.copies.get(0);
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
                    + "minute)", reason, version(), message);
        }
    }

    private synchronized void apply(List<ModelBlock> blocks, boolean reportFreshness) {
        Model reference = copies.get(0).model;
        List<ModelBlock> fitting = new ArrayList<>(blocks.size());
        for (ModelBlock b : blocks) {
            ModelBlocks.Refusal r = ModelBlocks.refusal(reference, fingerprint, b);
            if (r == null) {
                fitting.add(b);
            } else {
                refuse(r.reason(), r.message());
            }
        }
        if (fitting.isEmpty()) {
            return;
        }
        long version = served.version;
        for (ModelBlock b : fitting) {
            version = Math.max(version, b.getVersion());
        }
        List<ModelBlock> read = fitting.stream().filter(b -> !optimizerSlots.contains(b.getVariable())).toList();
        Copy target = copies.size() == 1 ? served : copies.get(copies.indexOf(served) ^ 1);
        target.write(read, version);
        served = target;
        for (Copy c : copies) {
            if (c != target) {
                c.behind.addAll(read);
            }
        }
        if (!reportFreshness) {
            // Nothing is served before catch-up ends: the other copy is brought level now rather than
            // holding a whole model's blocks until the first update.
            for (Copy c : copies) {
                c.write(List.of(), version);
            }
            return;
        }
        long now = System.currentTimeMillis();
        for (ModelBlock b : fitting) {
            freshness.onApplied(b, Math.max(0, now - b.getWrittenAt().toEpochMilli()) / 1000.0);
        }
    }

    /** Scores a batch with the served copy. */
    public Scored score(FeatureBatch batch) {
        Copy c = served;
        Lock read = c.rows.readLock();
        if (!read.tryLock()) {
            // Being written: with two copies, it was swapped out since it was read and the next update began
            // writing it, so the other copy is served now.
            c = served;
            read = c.rows.readLock();
            read.lock();
        }
        try {
            return new Scored(c.model.predict(batch), c.version);
        } finally {
            read.unlock();
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
        return served.version;
    }

    @Override
    public void close() {
        for (Copy c : copies) {
            c.rows.writeLock().lock();
            try {
                c.model.close();
            } finally {
                c.rows.writeLock().unlock();
            }
        }
    }

    /** One copy of the model, the blocks applied to the other copy but not yet to it, and its version. */
    private static final class Copy {
        final Model model;
        final ReadWriteLock rows = new ReentrantReadWriteLock();
        final List<ModelBlock> behind = new ArrayList<>();
        volatile long version;

        Copy(Model model) {
            this.model = model;
            this.version = model.step();
        }

        /**
         * Brings this copy level with the other, then applies {@code blocks} and takes {@code newVersion};
         * waits for the batches it is scoring.
         */
        void write(List<ModelBlock> blocks, long newVersion) {
            List<ModelBlock> all = new ArrayList<>(behind);
            all.addAll(blocks);
            if (all.isEmpty() && newVersion == version) {
                return;
            }
            rows.writeLock().lock();
            try {
                ModelBlocks.applyAll(model, all);
                model.setStep(newVersion);
                version = newVersion;
            } finally {
                rows.writeLock().unlock();
            }
            behind.clear();
        }
    }
}
