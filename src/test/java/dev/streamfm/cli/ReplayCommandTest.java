package dev.streamfm.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** replay's mistakes stop it with one line before it sends anything (the sending is ReplayIT's). */
class ReplayCommandTest {

    @TempDir
    Path dir;

    private String fails(String... args) throws Exception {
        Path log = Files.writeString(dir.resolve("day.libfm"), "1 3:1\n");
        StringWriter err = new StringWriter();
        String[] full = new String[args.length + 5];
        System.arraycopy(new String[]{"replay", "--bootstrap-servers", "127.0.0.1:1", "--file", log.toString()}, 0,
                full, 0, 5);
        System.arraycopy(args, 0, full, 5, args.length);
        int exit = Main.commandLine().setErr(new PrintWriter(err)).execute(full);
        String message = err.toString().strip();
        assertEquals(2, exit, message);
        assertEquals(1, message.lines().count(), message);
        return message;
    }

    @Test
    void aLabelDelayBeyondTheWindowWouldNeverJoin() throws Exception {
        assertEquals("streamfm replay: --label-delay 60000ms must be below streamfm.labeling.window.ms (30000ms), or "
                        + "the service never joins a label with its event",
                fails("--format", "libfm", "--label-delay", "1m", "--set", "streamfm.labeling.window.ms=30s"));
    }

    @Test
    void theFormatIsNeeded() throws Exception {
        assertEquals("streamfm replay: --file needs --format libfm|libsvm|criteo|csv", fails());
    }

    @Test
    void aTimeColumnNeedsCsv() throws Exception {
        assertEquals("streamfm replay: a time column goes with --format csv, the one format that names its columns; "
                + "libfm rows get times from the replay", fails("--format", "libfm", "--time-column", "ts"));
    }

    @Test
    void aBadDelayNamesTheOption() throws Exception {
        assertEquals("streamfm replay: Invalid value for option '--label-delay': '2' is not a duration such as "
                + "500ms, 50s, 2m, 1h or ISO-8601 PT50S (see: streamfm replay --help)",
                fails("--format", "libfm", "--label-delay", "2"));
    }
}
