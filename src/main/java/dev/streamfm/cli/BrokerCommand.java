package dev.streamfm.cli;

import dev.streamfm.kafka.EmbeddedKafkaBroker;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "broker", mixinStandardHelpOptions = true,
        description = {"A single-node Kafka broker (KRaft, broker and controller in this process) for a machine "
                + "without Kafka: run it in one terminal, then serve, generate or replay with "
                + "--bootstrap-servers 127.0.0.1:9092 in others. Its data directory keeps topics and offsets "
                + "across restarts; Ctrl-C stops it."},
        footer = {"", "Examples:",
                "  streamfm broker",
                "  streamfm broker --port 19092 --data-dir /var/lib/streamfm-broker",
                "  rm -r ~/.streamfm/broker    # start afresh: every topic gone"})
final class BrokerCommand implements Callable<Integer> {

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "Address to listen on and advertise to clients (default: ${DEFAULT-VALUE}, this machine "
                    + "only); give the machine's own address to let other machines connect.")
    String host;

    @Option(names = "--port", defaultValue = "9092", description = "Client port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "${sys:user.home}/.streamfm/broker",
            description = "Where the broker keeps its log; formatted on first use, reused afterwards "
                    + "(default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Override
    public Integer call() throws InterruptedException {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("--port must be in 1..65535, got " + port);
        }
        requireFree(host, port);
        // Kafka's own start-up lines follow; the port comes first.
        System.out.printf("streamfm broker: starting Kafka on %s:%d, data in %s%n", host, port, dataDir);
        try (ShutdownSignal stop = ShutdownSignal.install();
             EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startPersistent(dataDir, host, port)) {
            System.out.printf("streamfm broker: ready on %s (controller on 127.0.0.1:%d); give other commands "
                    + "--bootstrap-servers %s. Ctrl-C stops it.%n", broker.bootstrapServers(), broker.controllerPort(),
                    broker.bootstrapServers());
            stop.awaitForever();
            System.out.println("streamfm broker stopping...");
        }
        return 0;
    }

    /** Kafka reports a taken port deep inside its start-up; this says which flag to change. */
    private static void requireFree(String host, int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(host), port));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot listen on " + host + ":" + port + " (" + e.getMessage()
                    + "); pass another --port, or --host");
        }
    }
}
