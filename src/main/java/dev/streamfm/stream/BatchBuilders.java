package dev.streamfm.stream;

import dev.streamfm.features.BatchBuilder;
import dev.streamfm.features.FeatureBatch;
import dev.streamfm.schema.ClickEvent;

import java.util.List;
import java.util.function.Function;

/** Builds a model batch from records whose events were validated when they entered the topology. */
final class BatchBuilders {

    private BatchBuilders() {
    }

    static <R> FeatureBatch ofValidated(BatchBuilder builder, List<R> records, Function<R, ClickEvent> event) {
        builder.clear();
        for (R r : records) {
            builder.addValidated(event.apply(r));
        }
        return builder.build();
    }
}
