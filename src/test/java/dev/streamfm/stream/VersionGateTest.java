package dev.streamfm.stream;

import dev.streamfm.model.ModelBlocks;
import dev.streamfm.model.QualityGate;
import dev.streamfm.schema.ModelBlock;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Versions are held until complete, applied whole when accepted, and rejected ones go with the next good one. */
class VersionGateTest {

    private static final long FP = 42;

    private static ModelBlock block(String variable, int index, long version, int versionBlocks, double auc,
                                    long fingerprint) {
        return ModelBlock.newBuilder().setModel("m").setVariable(variable).setBlock(index).setFirstRow(0)
                .setShape(List.of(1L)).setValues(ByteBuffer.wrap(new byte[4])).setVersion(version)
                .setWrittenAt(Instant.ofEpochMilli(version * 1000)).setFingerprint(fingerprint)
                .setVersionBlocks(versionBlocks).setOnlineAuc(auc).setOnlineLogloss(0.4).setQualityExamples(10_000)
                .build();
    }

    private static List<String> keys(List<ModelBlock> blocks) {
        return blocks.stream().map(b -> ModelBlocks.key(b.getModel(), b.getVariable(), b.getBlock()) + "@"
                + b.getVersion()).toList();
    }

    @Test
    void aVersionIsHeldUntilItsLastBlockAndThenReleasedWhole() {
        VersionGate gate = new VersionGate(new QualityGate(QualityGate.Config.DEFAULTS), FP, d -> {
        });
        assertEquals(List.of(), gate.offer(List.of(block("a", 0, 1, 3, 0.8, FP), block("a", 1, 1, 3, 0.8, FP))));
        assertEquals(2, gate.heldBlocks());
        assertEquals(List.of("m/a/0@1", "m/a/1@1", "m/b/0@1"), keys(gate.offer(List.of(block("b", 0, 1, 3, 0.8, FP)))));
        assertEquals(0, gate.heldBlocks());
    }

    @Test
    void aRejectedVersionsBlocksGoWithTheNextAcceptedVersion() {
        List<QualityGate.Decision> rejected = new ArrayList<>();
        VersionGate gate = new VersionGate(new QualityGate(QualityGate.Config.DEFAULTS), FP, rejected::add);
        assertEquals(1, gate.offer(List.of(block("a", 0, 1, 1, 0.80, FP))).size());
        // version 2 (AUC 0.70) rewrites a/0 and b/0: rejected, held
        assertEquals(List.of(), gate.offer(List.of(block("a", 0, 2, 2, 0.70, FP), block("b", 0, 2, 2, 0.70, FP))));
        assertEquals(1, rejected.size());
        assertEquals(QualityGate.AUC_DROP, rejected.get(0).reason());
        assertEquals(2, gate.heldBlocks());
        // version 3 rewrites only a/0: b/0 of version 2 must go with it
        assertEquals(List.of("m/b/0@2", "m/a/0@3"), keys(gate.offer(List.of(block("a", 0, 3, 1, 0.81, FP)))));
        assertEquals(0, gate.heldBlocks());
        assertEquals(QualityGate.WITHIN_MARGIN, gate.lastDecision().reason());
    }

    @Test
    void anIncompleteVersionIsSettledWithTheNextCompleteOne() {
        VersionGate gate = new VersionGate(new QualityGate(QualityGate.Config.DEFAULTS), FP, d -> {
        });
        assertEquals(List.of(), gate.offer(List.of(block("a", 0, 1, 2, 0.8, FP))));
        assertEquals(List.of("m/a/0@1", "m/b/0@2"), keys(gate.offer(List.of(block("b", 0, 2, 1, 0.8, FP)))));
    }

    @Test
    void foreignAndUncountedBlocksPassStraightThrough() {
        VersionGate gate = new VersionGate(new QualityGate(QualityGate.Config.DEFAULTS), FP, d -> {
        });
        assertEquals(1, gate.offer(List.of(block("a", 0, 1, 5, 0.8, FP ^ 1))).size(), "foreign: the replica refuses it");
        assertEquals(1, gate.offer(List.of(block("a", 0, 1, 0, 0.8, FP))).size(), "no version size: applied as before");
        assertEquals(1, gate.offer(List.of(block("a", 0, 2, 0, 0.8, 0))).size(), "fingerprint 0 is own");
    }

    @Test
    void aPinHoldsBackLaterVersionsAndCountsThem() {
        List<QualityGate.Decision> rejected = new ArrayList<>();
        VersionGate gate = new VersionGate(new QualityGate(QualityGate.Config.DEFAULTS.pinned(1)), FP, rejected::add);
        assertEquals(1, gate.offer(List.of(block("a", 0, 1, 1, 0.8, FP))).size());
        assertEquals(List.of(), gate.offer(List.of(block("a", 0, 2, 1, 0.9, FP))));
        assertEquals(QualityGate.PINNED, rejected.get(0).reason());
        assertTrue(gate.heldBlocks() == 1);
    }
}
