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

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The fingerprints of all StreamFM record types, so a record written to the wrong topic is
 * reported as "a Label where a ClickEvent belongs" rather than as an unknown schema; and the
 * earlier versions of those schemas (resources under schema-history/), so that records written
 * before a schema change, which live on in the state stores and on the compacted model topic,
 * are read with the schema they were written with.
 */
final class KnownSchemas {

    /** Each schema as it was before a change, named Record-version.avsc; add one whenever a schema changes. */
    private static final List<String> EARLIER = List.of("ModelBlock-1.avsc", "ModelBlock-2.avsc");

    private static final Map<Long, Schema> EARLIER_BY_FINGERPRINT = EARLIER.stream().map(KnownSchemas::load)
            .collect(Collectors.toUnmodifiableMap(KnownSchemas::fingerprint, s -> s));

    private static final Map<Long, String> NAMES = List.of(ClickEvent.getClassSchema(), Label.getClassSchema(),
                    Prediction.getClassSchema(), DeadLetter.getClassSchema(), LabeledExample.getClassSchema(),
                    ModelBlock.getClassSchema(), ScoredEvent.getClassSchema()).stream()
            .collect(Collectors.toUnmodifiableMap(KnownSchemas::fingerprint, Schema::getName));

    private KnownSchemas() {
    }

    static long fingerprint(Schema schema) {
        return SchemaNormalization.parsingFingerprint64(schema);
    }

    /** An earlier version of a schema, by its fingerprint, or null. */
    static Schema earlier(long fingerprint) {
        return EARLIER_BY_FINGERPRINT.get(fingerprint);
    }

    private static Schema load(String file) {
        try (InputStream in = KnownSchemas.class.getResourceAsStream("/dev/streamfm/schema-history/" + file)) {
            if (in == null) {
                throw new IllegalStateException("schema history " + file + " is missing from the class path");
            }
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read schema history " + file, e);
        }
    }

    /** The record name written with this fingerprint, or null. */
    static String nameOf(long fingerprint) {
        return NAMES.get(fingerprint);
    }
}
