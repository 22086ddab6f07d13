package dev.streamfm.stream.serde;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tests' JVM trusts dev.streamfm through a system property, which hides whether production
 * code installs trust itself; a fresh JVM without the property shows it.
 */
class AvroTrustTest {

    @Test
    void decodingWorksWithoutTheSystemPropertyOnlyThroughAvroTrust() throws Exception {
        assertEquals(3, probe("raw"), "without AvroTrust, Avro 1.12.2 must refuse the generated class");
        assertEquals(0, probe("serde"));
    }

    private static int probe(String mode) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                AvroTrustProbe.class.getName(), mode)
                .inheritIO()
                .start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "probe JVM did not finish");
        return p.exitValue();
    }
}
