package dev.streamfm.report;

import dev.streamfm.analysis.ConflictSummary;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The FM-vs-DNN gradient conflict over a whole pass.
 *
 * @param sharedEmbedding false for a decoupled model: its towers update separate tables, so a negative
 *                        cosine says how the two updates would pull if the table were shared
 * @param all             over all fields together; empty when no step measured it
 * @param byField         per field that measured a conflict at least once
 * @param histogram       the per-field cosines of every analysed step, all fields pooled
 */
public record TowerConflict(boolean sharedEmbedding, Optional<ConflictSummary> all,
                            Map<String, ConflictSummary> byField, CosineHistogram histogram) {

    public TowerConflict {
        byField = Collections.unmodifiableMap(new LinkedHashMap<>(byField));
    }
}
