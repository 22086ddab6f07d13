package dev.streamfm.stream.serde;

import dev.streamfm.schema.ClickEvent;
import dev.streamfm.schema.DeadLetter;
import dev.streamfm.schema.Label;
import dev.streamfm.schema.LabeledExample;
import dev.streamfm.schema.ModelBlock;
import dev.streamfm.schema.Prediction;
import dev.streamfm.schema.ScoredEvent;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The fingerprints of all StreamFM record types, so a record written to the wrong topic is
 * reported as "a Label where a ClickEvent belongs" rather than as an unknown schema.
 */
final class KnownSchemas {

    private static final Map<Long, String> NAMES = List.of(ClickEvent.getClassSchema(), Label.getClassSchema(),
                    Prediction.getClassSchema(), DeadLetter.getClassSchema(), LabeledExample.getClassSchema(),
                    ModelBlock.getClassSchema(), ScoredEvent.getClassSchema()).stream()
            .collect(Collectors.toUnmodifiableMap(KnownSchemas::fingerprint, Schema::getName));

    private KnownSchemas() {
    }

    static long fingerprint(Schema schema) {
        return SchemaNormalization.parsingFingerprint64(schema);
    }

    /** The record name written with this fingerprint, or null. */
    static String nameOf(long fingerprint) {
        return NAMES.get(fingerprint);
    }
}
