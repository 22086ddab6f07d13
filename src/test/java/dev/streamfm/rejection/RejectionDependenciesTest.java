package dev.streamfm.rejection;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The rejection vocabulary sits below every package that rejects records, so features,
 * evaluation and the stream can all use it without a cycle: no package below the stream imports
 * the stream, and the rejection package imports no other StreamFM package.
 */
class RejectionDependenciesTest {

    private static final Path MAIN = Path.of("src", "main", "java", "dev", "streamfm");

    @Test
    void packagesBelowTheStreamDoNotImportIt() throws IOException {
        List<String> offending = new ArrayList<>();
        for (String lower : List.of("rejection", "features", "evaluation", "model")) {
            offending.addAll(importsOf(lower, "import dev.streamfm.stream."));
        }
        offending.addAll(importsOf("rejection", "import dev.streamfm."));
        assertEquals(List.of(), offending);
    }

    private static List<String> importsOf(String pkg, String prefix) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MAIN.resolve(pkg))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                for (String line : Files.readAllLines(f)) {
                    if (line.startsWith(prefix)) {
                        out.add(MAIN.relativize(f) + ": " + line);
                    }
                }
            }
        }
        return out;
    }
}
