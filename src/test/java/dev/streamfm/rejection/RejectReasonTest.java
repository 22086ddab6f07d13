package dev.streamfm.rejection;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RejectReasonTest {

    @Test
    void labelsAreUniqueSnakeCaseAndRoundTrip() {
        Set<String> labels = new HashSet<>();
        for (RejectReason r : RejectReason.values()) {
            assertTrue(r.label().matches("[a-z]+(_[a-z]+)*"), r.label());
            assertTrue(labels.add(r.label()), "duplicate " + r.label());
            assertEquals(r, RejectReason.fromLabel(r.label()));
            assertTrue(!r.description().isBlank());
        }
        assertEquals("schema_mismatch", RejectReason.SCHEMA_MISMATCH.label());
        assertThrows(IllegalArgumentException.class, () -> RejectReason.fromLabel("nope"));
    }

    @Test
    void findDigsTheRejectionOutOfACauseChain() {
        RecordRejectedException r = new RecordRejectedException(RejectReason.UNDECODABLE, "bad");
        assertEquals(r, RecordRejectedException.find(new RuntimeException(new IllegalStateException(r)))
                .orElseThrow());
        assertTrue(RecordRejectedException.find(new RuntimeException("other")).isEmpty());
        assertEquals("rejected (undecodable): bad", r.toString());
    }
}
