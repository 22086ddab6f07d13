package dev.streamfm.analysis;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The rolling conflict of one pair of towers.
 *
 * @param byField per field that measured a conflict at least once in the window
 * @param all     over all fields together; empty when no step measured it
 */
public record PairConflict(Map<String, ConflictSummary> byField, Optional<ConflictSummary> all) {

    public static final PairConflict NONE = new PairConflict(Map.of(), Optional.empty());

    public PairConflict {
        byField = Collections.unmodifiableMap(new LinkedHashMap<>(byField));
    }
}
