package dev.streamfm.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Commands run side by side with their defaults, and a clash names the knob that resolves it. */
class PortClashTest {

    @Test
    void serveOnATakenPortNamesTheSettingInOneLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            StringWriter err = new StringWriter();
            // The endpoint binds before the service contacts Kafka, so no broker is needed to see the clash.
            int exit = Main.commandLine().setErr(new PrintWriter(err)).execute("serve",
                    "--bootstrap-servers", "127.0.0.1:1", "--set", "streamfm.metrics.bind=127.0.0.1",
                    "--set", "streamfm.metrics.port=" + taken.getLocalPort());
            String message = err.toString().strip();
            assertEquals(2, exit, message);
            assertEquals(1, message.lines().count(), message);
            assertTrue(message.startsWith("streamfm serve: cannot serve metrics on 127.0.0.1:" + taken.getLocalPort()
                    + " (Address already in use): set streamfm.metrics.port (--set streamfm.metrics.port=0 picks a "
                    + "free port)"), message);
        }
    }

    @Test
    void brokerOnATakenPortNamesTheFlagInOneLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            StringWriter err = new StringWriter();
            int exit = Main.commandLine().setErr(new PrintWriter(err)).execute("broker",
                    "--port", Integer.toString(taken.getLocalPort()), "--data-dir", "target/never-created");
            String message = err.toString().strip();
            assertEquals(2, exit, message);
            assertEquals(1, message.lines().count(), message);
            assertTrue(message.startsWith("streamfm broker: cannot listen on 127.0.0.1:" + taken.getLocalPort()), message);
            assertTrue(message.endsWith("pass another --port, or --host"), message);
        }
    }

    @Test
    void generateServesNoMetricsUnlessAsked() {
        var cl = Main.commandLine();
        cl.parseArgs("generate");
        GenerateCommand generate = cl.getSubcommands().get("generate").getCommand();
        assertNull(generate.metricsPort, "generate must not take serve's default port 9400");
    }
}
