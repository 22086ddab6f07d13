package dev.streamfm.stream;

import dev.streamfm.model.ModelBlocks;
import dev.streamfm.model.QualityGate;
import dev.streamfm.schema.ModelBlock;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Between the model topic and the replica (README, "Model quality gate"): holds a version's
 * blocks until all of them have arrived ({@code version_blocks}), asks the {@link QualityGate},
 * and hands an accepted version to the replica as one list, applied under one write lock. A
 * checkpoint writes only the blocks that changed, so a rejected version's blocks cannot simply be
 * dropped: the next version does not rewrite them. They stay held, newest copy per block, and go
 * to the replica together with the next accepted version, which then is the trainer's model at
 * that version exactly. Blocks of another fingerprint pass straight through (the replica refuses
 * them), and blocks written before blocks carried their version's size are applied as they come.
 * Used by the follower thread only.
 */
final class VersionGate {

    /** Told of every version the gate rejects, with its reason. */
    interface RejectionListener {
        void onRejected(QualityGate.Decision decision);
    }

    private final QualityGate gate;
    private final long fingerprint;
    private final RejectionListener rejections;
    /** Blocks not applied yet, newest copy per block key. */
    private final Map<String, ModelBlock> held = new LinkedHashMap<>();
    /** Versions not judged yet: the block keys seen of each. */
    private final TreeMap<Long, Set<String>> incomplete = new TreeMap<>();
    private QualityGate.Decision last;

    VersionGate(QualityGate gate, long fingerprint, RejectionListener rejections) {
        this.gate = gate;
        this.fingerprint = fingerprint;
        this.rejections = rejections;
    }

    /** The quality a block reports for its version. */
    static QualityGate.Quality quality(ModelBlock b) {
        return new QualityGate.Quality(b.getVersion(), b.getWrittenAt().toEpochMilli(),
                b.getOnlineAuc() == null ? Double.NaN : b.getOnlineAuc(),
                b.getOnlineLogloss() == null ? Double.NaN : b.getOnlineLogloss(), b.getQualityExamples());
    }

    /**
     * Takes blocks as the follower read them and returns what the replica is to apply now, in
     * order (empty while a version is incomplete or was rejected).
     */
    List<ModelBlock> offer(List<ModelBlock> blocks) {
        List<ModelBlock> out = new ArrayList<>();
        for (ModelBlock b : blocks) {
            String key = ModelBlocks.key(b.getModel(), b.getVariable(), b.getBlock());
            if (!ModelBlocks.writtenFor(b, fingerprint)) {
                out.add(b);
                continue;
            }
            if (b.getVersionBlocks() <= 0) {
                held.remove(key);
                out.add(b);
                continue;
            }
            held.put(key, b);
            Set<String> seen = incomplete.computeIfAbsent(b.getVersion(), v -> new HashSet<>());
            seen.add(key);
            if (seen.size() >= b.getVersionBlocks()) {
                judge(quality(b), out);
            }
        }
        return out;
    }

    private void judge(QualityGate.Quality q, List<ModelBlock> out) {
        last = gate.judge(q);
        // An older version that never completed (its checkpoint cut short) is settled with this one.
        incomplete.headMap(q.version(), true).clear();
        if (!last.accepted()) {
            rejections.onRejected(last);
            return;
        }
        out.addAll(release(q.version()));
    }

    /** Removes and returns the held blocks of this version and older, oldest version first. */
    private List<ModelBlock> release(long version) {
        List<ModelBlock> out = new ArrayList<>();
        for (Iterator<ModelBlock> it = held.values().iterator(); it.hasNext(); ) {
            ModelBlock b = it.next();
            if (b.getVersion() <= version) {
                out.add(b);
                it.remove();
            }
        }
        out.sort(Comparator.comparingLong(ModelBlock::getVersion));
        return out;
    }

    /**
     * Blocks the catch-up read but did not apply (of versions after the one it rebuilt, which the
     * gate rejected or the pin holds back): held until a version after them is accepted.
     */
    void hold(Collection<ModelBlock> blocks) {
        for (ModelBlock b : blocks) {
            held.put(ModelBlocks.key(b.getModel(), b.getVariable(), b.getBlock()), b);
        }
    }

    QualityGate gate() {
        return gate;
    }

    /** Blocks waiting: of incomplete or rejected versions. */
    int heldBlocks() {
        return held.size();
    }

    /** The last decision, or null before the first complete version. */
    QualityGate.Decision lastDecision() {
        return last;
    }
}
