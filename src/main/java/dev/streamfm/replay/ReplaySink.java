package dev.streamfm.replay;

import dev.streamfm.schema.ClickEvent;
import dev.streamfm.schema.Label;

/** Where a replay sends its events and labels: Kafka, or a list in tests. */
public interface ReplaySink {

    void event(ClickEvent event);

    void label(Label label);

    /** Blocks until everything sent has been accepted; fails if anything was not. */
    void flush();
}
