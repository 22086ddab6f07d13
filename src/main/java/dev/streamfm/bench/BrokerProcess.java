package dev.streamfm.bench;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A single-node broker in a JVM of its own, started from this JVM's classpath, so that catch-up
 * figures do not share a heap and a garbage collector with the broker, as they would not in
 * production. Its log goes to a file that a failure names.
 */
final class BrokerProcess implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BrokerProcess.class);
    private static final String HEAP = "-Xmx1g";

    private final Process process;
    private final Path logFile;
    private final String bootstrapServers;

    private BrokerProcess(Process process, Path logFile, String bootstrapServers) {
        this.process = process;
        this.logFile = logFile;
        this.bootstrapServers = bootstrapServers;
    }

    static BrokerProcess start(Path workDir) {
        Path logFile = workDir.resolve("broker.log");
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), HEAP,
                "-cp", System.getProperty("java.class.path"), BrokerMain.class.getName());
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectError(logFile.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the broker JVM", e);
        }
        try {
            String bootstrap = awaitReady(p, logFile);
            log.info("Benchmark broker in its own JVM (pid {}) on {}, log {}", p.pid(), bootstrap, logFile);
            return new BrokerProcess(p, logFile, bootstrap);
        } catch (RuntimeException e) {
            p.destroyForcibly();
            throw e;
        }
    }

    private static String awaitReady(Process p, Path logFile) {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        try {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith(BrokerMain.READY)) {
                    return line.substring(BrokerMain.READY.length()).trim();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading the broker JVM's output failed", e);
        }
        throw new IllegalStateException("the broker JVM exited before it was ready; its log: " + logFile + "\n"
                + tail(logFile));
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    /** Closing stdin asks the broker to shut down cleanly; SIGKILL if it has not within 30 s. */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                log.warn("the broker JVM did not stop within 30 s; killing it (log {})", logFile);
                process.destroyForcibly();
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
