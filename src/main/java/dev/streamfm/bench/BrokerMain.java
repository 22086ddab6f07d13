package dev.streamfm.bench;

import dev.streamfm.kafka.EmbeddedKafkaBroker;

import java.io.IOException;
import java.io.InputStream;

/**
 * The child JVM of {@link BrokerProcess}: an embedded broker that prints its bootstrap address on
 * stdout and stops when its stdin closes, so it never outlives the benchmark, even one killed
 * with SIGKILL.
 */
public final class BrokerMain {

    /** The line prefix the parent looks for on the child's stdout. */
    static final String READY = "streamfm-broker bootstrap=";

    private BrokerMain() {
    }

    public static void main(String[] args) throws IOException {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            System.out.println(READY + broker.bootstrapServers());
            System.out.flush();
            InputStream in = System.in;
            while (in.read() >= 0) {
                // nothing to read: the parent only ever closes the stream
            }
        }
    }
}
