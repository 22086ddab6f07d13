package dev.streamfm.stream.serde;

import org.apache.avro.util.ClassSecurityValidator;

/**
 * Lets Avro instantiate the generated dev.streamfm.schema classes. Avro 1.12.2 refuses to decode
 * into any class it does not trust (SecurityException "Forbidden ..."), and its system property
 * only works if set before Avro's classes initialise, which a library cannot guarantee. Every
 * decoder calls {@link #ensure()}; the trust already configured (e.g. by that property) is kept.
 */
public final class AvroTrust {

    static final String TRUSTED_PACKAGE = "dev.streamfm.schema.";

    private AvroTrust() {
    }

    /** Installs the trust once per JVM; cheap to call again. */
    public static void ensure() {
        Installed.touch();
    }

    /** Class initialisation runs exactly once, even when threads race to it. */
    private static final class Installed {
        static {
            ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(ClassSecurityValidator.getGlobal(),
                    c -> c.getName().startsWith(TRUSTED_PACKAGE)));
        }

        static void touch() {
            // loading the class is the point
        }
    }
}
