package dev.streamfm.deploy;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A command-line tool the deploy tests run for real (promtool, prometheus). A missing tool fails
 * the test with the command that installs it: CI (.ci/run) installs them, and a silent skip would
 * let a broken alert or dashboard through.
 */
final class ExternalTool {

    record Result(int exitCode, String output) {
    }

    private ExternalTool() {
    }

    /** The tool's path on PATH, or an AssertionError saying how to install it. */
    static Path require(String name) {
        return find(name).orElseThrow(() -> new AssertionError("'" + name + "' is not on PATH; install it with "
                + "`apt-get install -y prometheus` (Debian/Ubuntu; .ci/run does this) or put the Prometheus "
                + "release binaries on PATH"));
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
