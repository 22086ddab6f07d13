package dev.streamfm.deploy;

import org.opentest4j.TestAbortedException;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A command-line tool the deploy tests run for real (promtool, prometheus). On a fresh machine a
 * missing tool skips the test with the command that installs it, so `mvn verify` works with Java
 * and Maven alone. CI sets {@link #REQUIRE_ENV} (or -D{@value #REQUIRE_PROPERTY}=true), under which
 * a missing tool fails instead: there a silent skip would let a broken alert or dashboard through.
 */
final class ExternalTool {

    static final String REQUIRE_ENV = "STREAMFM_REQUIRE_TOOLS";
    static final String REQUIRE_PROPERTY = "streamfm.requireTools";
    private static final Set<String> ANNOUNCED = ConcurrentHashMap.newKeySet();

    record Result(int exitCode, String output) {
    }

    private ExternalTool() {
    }

    /**
     * The tool's path on PATH. A missing tool aborts the test (JUnit reports it skipped, with the
     * reason), or fails it when tools are required.
     */
    static Path require(String name) {
        return require(name, find(name), toolsRequired(System.getenv(), System.getProperties()));
    }

    static Path require(String name, Optional<Path> found, boolean required) {
        if (found.isPresent()) {
            return found.get();
        }
        String missing = "'" + name + "' is not on PATH; install it with `apt-get install -y prometheus` "
                + "(Debian/Ubuntu; .ci/run does this) or put the Prometheus release binaries on PATH";
        if (required) {
            throw new AssertionError(missing + " (" + REQUIRE_ENV + " or -D" + REQUIRE_PROPERTY
                    + " is set, so a missing tool fails)");
        }
        String skipped = "skipped: " + missing + "; set " + REQUIRE_ENV + "=1 to make a missing tool fail the test";
        // Maven prints a count of skipped tests, not why: say it once on the console too.
        if (ANNOUNCED.add(name)) {
            System.err.println("streamfm tests " + skipped);
        }
        throw new TestAbortedException(skipped);
    }

    static boolean toolsRequired(Map<String, String> env, Properties properties) {
        return on(env.get(REQUIRE_ENV)) || on(properties.getProperty(REQUIRE_PROPERTY));
    }

    private static boolean on(String value) {
        return "1".equals(value) || "true".equalsIgnoreCase(value);
    }

    static Optional<Path> find(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Runs the tool to completion (at most a minute) and returns its exit code and merged output. */
    static Result run(String tool, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(require(tool).toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish within 60 s");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
