package dev.streamfm.kafka;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real single-node KRaft broker (broker and controller in one process) for {@code demo} and
 * the integration tests. It binds 127.0.0.1 only, on free ports, and stores its log in a
 * temporary directory that {@link #close()} removes.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    private final Path dir;
    private final int brokerPort;
    private final Properties props;
    private KafkaRaftServer server;

    private EmbeddedKafkaBroker(Path dir, int brokerPort, Properties props) {
        this.dir = dir;
        this.brokerPort = brokerPort;
        this.props = props;
    }

    /** Formats a fresh log directory, starts the broker and waits until it answers. */
    public static EmbeddedKafkaBroker start() {
        return start(Map.of());
    }

    /**
     * As {@link #start()}, with broker properties changed or removed: an empty value restores the
     * broker's own default (e.g. message.max.bytes, to test what a stock cluster accepts).
     */
    public static EmbeddedKafkaBroker start(Map<String, String> overrides) {
        Path dir;
        try {
            dir = Files.createTempDirectory("streamfm-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for the embedded broker", e);
        }
        int brokerPort = freePort();
        int controllerPort = freePort();
        Properties props = brokerProperties(dir, brokerPort, controllerPort);
        overrides.forEach((k, v) -> {
            if (v.isEmpty()) {
                props.remove(k);
            } else {
                props.setProperty(k, v);
            }
        });
        format(dir, props);
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dir, brokerPort, props);
        broker.startServer();
        log.info("Embedded Kafka broker (KRaft) listening on {}, data in {}", broker.bootstrapServers(), dir);
        return broker;
    }

    private void startServer() {
        server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        server.startup();
        awaitReady();
    }

    /** Stops the broker and starts it again on the same ports and log directory (a broker restart). */
    public void restart() {
        server.shutdown();
        server.awaitShutdown();
        startServer();
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    private static Properties brokerProperties(Path dir, int brokerPort, int controllerPort) {
        Properties p = new Properties();
        p.putAll(Map.ofEntries(
                Map.entry("process.roles", "broker,controller"),
                Map.entry("node.id", "1"),
                Map.entry("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort),
                Map.entry("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort),
                Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
                Map.entry("controller.listener.names", "CONTROLLER"),
                Map.entry("inter.broker.listener.name", "PLAINTEXT"),
                Map.entry("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort),
                Map.entry("log.dirs", dir.resolve("kraft-logs").toString()),
                Map.entry("offsets.topic.replication.factor", "1"),
                Map.entry("offsets.topic.num.partitions", "1"),
                Map.entry("transaction.state.log.replication.factor", "1"),
                Map.entry("transaction.state.log.min.isr", "1"),
                Map.entry("transaction.state.log.num.partitions", "1"),
                Map.entry("share.coordinator.state.topic.replication.factor", "1"),
                Map.entry("share.coordinator.state.topic.min.isr", "1"),
                Map.entry("min.insync.replicas", "1"),
                Map.entry("default.replication.factor", "1"),
                Map.entry("num.partitions", "1"),
                Map.entry("group.initial.rebalance.delay.ms", "0"),
                // Records carry event time; a synthetic or replayed stream from the past would
                // otherwise be deleted by time retention within a minute of being written.
                Map.entry("log.retention.ms", "-1"),
                // The default allocates 128 MiB of heap for the cleaner at start-up.
                Map.entry("log.cleaner.dedupe.buffer.size", "8388608"),
                // Model blocks and batches of examples can be larger than the 1 MB default.
                Map.entry("message.max.bytes", "16777216")));
        return p;
    }

    private static void format(Path dir, Properties props) {
        Path cfg = dir.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(cfg)) {
            props.store(out, "embedded StreamFM broker");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + cfg, e);
        }
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        // StorageTool.main would call Exit.exit; execute() returns the status instead.
        int rc = StorageTool.execute(new String[]{"format", "-t", Uuid.randomUuid().toString(), "-c", cfg.toString(),
                "--standalone"}, new PrintStream(buf, true, StandardCharsets.UTF_8));
        if (rc != 0) {
            throw new IllegalStateException("formatting the embedded broker's storage failed: " + buf);
        }
    }

    private void awaitReady() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            admin.describeCluster().nodes().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            close();
            throw new IllegalStateException("embedded broker did not become ready on " + bootstrapServers(), e);
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }

    @Override
    public void close() {
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            deleteRecursively(dir);
        }
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            log.warn("could not remove the embedded broker's directory {}: {}", root, e.toString());
        }
    }
}
