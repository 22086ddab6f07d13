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
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real single-node KRaft broker (broker and controller in one process) for {@code demo}, the
 * {@code broker} command and the integration tests. The controller listens on 127.0.0.1 only. A
 * temporary broker ({@link #start()}) binds 127.0.0.1 on free ports and removes its log
 * directory at {@link #close()}; a persistent one ({@link #startPersistent}) keeps its data
 * directory, and with it its topics, offsets and controller port, across restarts.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final String CONFIG_FILE = "server.properties";
    private static final String LOG_DIR = "kraft-logs";
    private static final String CONTROLLER_HOST = "127.0.0.1";

    private final Path dir;
    private final boolean temporary;
    private final String host;
    private final int brokerPort;
    private final int controllerPort;
    private final Properties props;
    private KafkaRaftServer server;

    private EmbeddedKafkaBroker(Path dir, boolean temporary, String host, int brokerPort, int controllerPort,
                                Properties props) {
        this.dir = dir;
        this.temporary = temporary;
        this.host = host;
        this.brokerPort = brokerPort;
        this.controllerPort = controllerPort;
        this.props = props;
    }

    /** Formats a fresh temporary log directory, starts the broker on free ports and waits until it answers. */
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
        return start(dir, true, CONTROLLER_HOST, freePort(), freePort(), overrides);
    }

    /**
     * Starts a broker on host:port whose data lives in dataDir: formatted on first use, reused as
     * it is afterwards (the controller keeps the port it was formatted with, which its quorum
     * records).
     */
    public static EmbeddedKafkaBroker startPersistent(Path dataDir, String host, int port) {
        Path stored = dataDir.resolve(CONFIG_FILE);
        int controllerPort = Files.exists(dataDir.resolve(LOG_DIR).resolve("meta.properties"))
                ? storedControllerPort(stored) : freePort();
        return start(dataDir, false, host, port, controllerPort, Map.of());
    }

    private static EmbeddedKafkaBroker start(Path dir, boolean temporary, String host, int brokerPort,
                                             int controllerPort, Map<String, String> overrides) {
        Properties props = brokerProperties(dir, host, brokerPort, controllerPort);
        overrides.forEach((k, v) -> {
            if (v.isEmpty()) {
                props.remove(k);
            } else {
                props.setProperty(k, v);
            }
        });
        writeConfig(dir, props);
        if (!Files.exists(dir.resolve(LOG_DIR).resolve("meta.properties"))) {
            format(dir);
        }
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dir, temporary, host, brokerPort, controllerPort, props);
        broker.startServer();
        log.info("Embedded Kafka broker (KRaft) listening on {} (controller {}:{}), data in {}",
                broker.bootstrapServers(), CONTROLLER_HOST, controllerPort, dir);
        return broker;
    }

    private void startServer() {
        server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        server.startup();
        awaitReady();
    }

    /** Stops the broker and starts it again on the same ports and log directory (a broker restart). */
    public void restart() {
        restart(Duration.ZERO);
    }

    /**
     * Stops the broker, leaves it down for the given time, and starts it again on the same ports
     * and log directory; returns once it answers. Clients keep their connections' addresses and
     * reconnect on their own.
     */
    public void restart(Duration downtime) {
        server.shutdown();
        server.awaitShutdown();
        try {
            Thread.sleep(downtime.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        startServer();
    }

    public String bootstrapServers() {
        return host + ":" + brokerPort;
    }

    public int controllerPort() {
        return controllerPort;
    }

    public Path dataDir() {
        return dir;
    }

    private static Properties brokerProperties(Path dir, String host, int brokerPort, int controllerPort) {
        Properties p = new Properties();
        p.putAll(Map.ofEntries(
                Map.entry("process.roles", "broker,controller"),
                Map.entry("node.id", "1"),
                Map.entry("listeners", "PLAINTEXT://" + host + ":" + brokerPort + ",CONTROLLER://" + CONTROLLER_HOST
                        + ":" + controllerPort),
                Map.entry("advertised.listeners", "PLAINTEXT://" + host + ":" + brokerPort),
                Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
                Map.entry("controller.listener.names", "CONTROLLER"),
                Map.entry("inter.broker.listener.name", "PLAINTEXT"),
                Map.entry("controller.quorum.bootstrap.servers", CONTROLLER_HOST + ":" + controllerPort),
                Map.entry("log.dirs", dir.resolve(LOG_DIR).toString()),
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

    private static void writeConfig(Path dir, Properties props) {
        Path cfg = dir.resolve(CONFIG_FILE);
        try {
            Files.createDirectories(dir);
            try (OutputStream out = Files.newOutputStream(cfg)) {
                props.store(out, "embedded StreamFM broker");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + cfg, e);
        }
    }

    private static int storedControllerPort(Path cfg) {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(cfg)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("the broker data directory " + cfg.getParent() + " was formatted but "
                    + cfg + " is unreadable; remove the directory to start afresh", e);
        }
        String quorum = p.getProperty("controller.quorum.bootstrap.servers", "");
        return Integer.parseInt(quorum.substring(quorum.lastIndexOf(':') + 1));
    }

    private static void format(Path dir) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        // StorageTool.main would call Exit.exit; execute() returns the status instead.
        int rc = StorageTool.execute(new String[]{"format", "-t", Uuid.randomUuid().toString(), "-c",
                dir.resolve(CONFIG_FILE).toString(), "--standalone"}, new PrintStream(buf, true, StandardCharsets.UTF_8));
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
            if (temporary) {
                deleteRecursively(dir);
            }
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
