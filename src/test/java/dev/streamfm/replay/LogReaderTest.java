package dev.streamfm.replay;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogReaderTest {

    @TempDir
    Path dir;

    private record Read(List<LogRecord> records, List<ReadProblem> problems, long lines, long bad) {
    }

    private Read read(String name, String content, LogFormat format, ReaderOptions options) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        return read(file, format, options);
    }

    private static Read read(Path file, LogFormat format, ReaderOptions options) throws IOException {
        List<ReadProblem> problems = new ArrayList<>();
        List<LogRecord> records = new ArrayList<>();
        try (LogReader r = LogReader.open(file, format, options, problems::add)) {
            r.forEachRemaining(records::add);
            assertEquals(records.size(), r.records());
            return new Read(records, problems, r.lines(), r.badLines());
        }
    }

    @Test
    void libfmIsPositionalOneHot() throws IOException {
        Read r = read("frappe.libfm", """
                -1 451:1 4149:1 5041:1
                1 12:1 4150:1 5041:1
                1 12:1 oops 5041:1
                0.5 1:1
                1 7:1 8:2
                """, LogFormat.LIBFM, ReaderOptions.DEFAULT);
        assertEquals(2, r.records().size());
        LogRecord first = r.records().get(0);
        assertEquals(1, first.line());
        assertEquals(0, first.label());
        assertEquals(Map.of("f0", "451", "f1", "4149", "f2", "5041"), first.event().getCategorical());
        assertEquals(0, first.event().getLabel(), "logs arrive labeled");
        assertEquals("frappe.libfm:1", first.event().getEventId());
        assertEquals(1, r.records().get(1).label());
        assertEquals(List.of(3L, 4L, 5L), r.problems().stream().map(ReadProblem::line).toList());
        assertTrue(r.problems().get(0).message().contains("'oops' is not idx:val"), r.problems().get(0).message());
        assertTrue(r.problems().get(1).message().contains("label 0.5"), r.problems().get(1).message());
        assertTrue(r.problems().get(2).message().contains("--format libsvm"), r.problems().get(2).message());
        assertEquals(3, r.bad());
        assertEquals(5, r.lines());
    }

    @Test
    void libsvmIsIndexedNumeric() throws IOException {
        Read r = read("a.svm", "+1 3:0.5 10:2\n-1 3:1e-3\n\n1 3:1 3:2\n1 x:1\n0 4:NaN\n",
                LogFormat.LIBSVM, ReaderOptions.DEFAULT);
        assertEquals(2, r.records().size());
        assertEquals(Map.of("f3", 0.5, "f10", 2.0), r.records().get(0).event().getNumeric());
        assertEquals(1, r.records().get(0).label());
        assertEquals(0, r.records().get(1).label());
        assertEquals(List.of(3L, 4L, 5L, 6L), r.problems().stream().map(ReadProblem::line).toList());
        assertEquals("blank line", r.problems().get(0).message());
        assertTrue(r.problems().get(1).message().contains("appears twice"));
        assertTrue(r.problems().get(3).message().contains("not finite"));
    }

    @Test
    void criteoTsvWithMissingValues() throws IOException {
        String good = "1\t5\t\t-1" + "\t".repeat(10) + "\t68fd1e64\t" + "\t".repeat(24) + "e5ba7672";
        String shortLine = "0\t1\t2";
        String badInt = "0\tx" + "\t".repeat(38);
        LogFileException notGzip = assertThrows(LogFileException.class,
                () -> read("day_0.gz", good, LogFormat.CRITEO, ReaderOptions.DEFAULT));
        assertTrue(notGzip.getMessage().contains("not gzip"), notGzip.getMessage());
        Path gz = dir.resolve("day_1.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write((good + "\n" + shortLine + "\n" + badInt + "\n" + good + "\n").getBytes(StandardCharsets.UTF_8));
        }
        Read r = read(gz, LogFormat.CRITEO, ReaderOptions.DEFAULT);
        assertEquals(2, r.records().size());
        LogRecord rec = r.records().get(0);
        assertEquals(1, rec.label());
        assertEquals(Map.of("I1", 5.0, "I3", -1.0), rec.event().getNumeric());
        assertEquals(Map.of("C1", "68fd1e64", "C26", "e5ba7672"), rec.event().getCategorical());
        assertEquals(4, r.records().get(1).line());
        assertEquals(List.of(2L, 3L), r.problems().stream().map(ReadProblem::line).toList());
        assertTrue(r.problems().get(0).message().contains("expected 40 tab-separated columns"));
        assertTrue(r.problems().get(1).message().contains("I1 'x' is not an integer"));
    }

    @Test
    void csvWithHeaderQuotesAndNumericColumns() throws IOException {
        Read r = read("clicks.csv", """
                user,item name,price,label
                u1,"a, b",3.5,1
                u2,c,,0
                u3,d,4
                u4,"say ""hi\"\"\",cheap,1
                u5,e,1,yes
                """, LogFormat.CSV, ReaderOptions.DEFAULT.withNumericColumns(Set.of("price")));
        assertEquals(2, r.records().size());
        LogRecord first = r.records().get(0);
        assertEquals(2, first.line(), "the header is line 1");
        assertEquals(Map.of("user", "u1", "item_name", "a, b"), first.event().getCategorical());
        assertEquals(Map.of("price", 3.5), first.event().getNumeric());
        assertEquals(Map.of(), r.records().get(1).event().getNumeric(), "an empty cell is missing");
        assertEquals(List.of(4L, 5L, 6L), r.problems().stream().map(ReadProblem::line).toList());
        assertTrue(r.problems().get(0).message().contains("expected 4 columns"));
        assertTrue(r.problems().get(1).message().contains("column price 'cheap' is not a number"));
        assertTrue(r.problems().get(2).message().contains("label 'yes'"));
    }

    @Test
    void csvLabelColumnByOption() throws IOException {
        Read r = read("c.csv", "clicked;site\n1;s1\n", LogFormat.CSV,
                new ReaderOptions("clicked", Set.of(), ';', null));
        assertEquals(Map.of("site", "s1"), r.records().get(0).event().getCategorical());
        LogFileException e = assertThrows(LogFileException.class,
                () -> read("d.csv", "a,b\n1,2\n", LogFormat.CSV, ReaderOptions.DEFAULT));
        assertTrue(e.getMessage().contains("no label column 'label'") && e.getMessage().contains("--label-column"));
        assertThrows(LogFileException.class, () -> read("e.csv", "", LogFormat.CSV, ReaderOptions.DEFAULT));
        assertThrows(LogFileException.class, () -> read("f.csv", "label,a\n", LogFormat.CSV,
                ReaderOptions.DEFAULT.withNumericColumns(Set.of("b"))));
    }

    @Test
    void csvTimeColumnGivesEventTimesAndIsNoFeature() throws IOException {
        Read r = read("t.csv", """
                ts,site,label
                1714557600000,s1,1
                2024-05-01T10:00:01Z,s2,0
                yesterday,s3,1
                ,s4,1
                """, LogFormat.CSV, ReaderOptions.DEFAULT.withTimeColumn("ts"));
        assertEquals(List.of(1714557600000L, 1714557601000L),
                r.records().stream().map(x -> x.event().getEventTime().toEpochMilli()).toList());
        assertEquals(Map.of("site", "s1"), r.records().get(0).event().getCategorical());
        assertEquals(List.of(4L, 5L), r.problems().stream().map(ReadProblem::line).toList());
        assertTrue(r.problems().get(0).message().contains("time column ts 'yesterday' is not epoch milliseconds"),
                r.problems().get(0).message());
        LogFileException missing = assertThrows(LogFileException.class, () -> read("u.csv", "site,label\ns,1\n",
                LogFormat.CSV, ReaderOptions.DEFAULT.withTimeColumn("ts")));
        assertTrue(missing.getMessage().contains("no time column 'ts'"), missing.getMessage());
        LogFileException notCsv = assertThrows(LogFileException.class, () -> read("v.libfm", "1 2:1\n",
                LogFormat.LIBFM, ReaderOptions.DEFAULT.withTimeColumn("ts")));
        assertTrue(notCsv.getMessage().contains("goes with --format csv"), notCsv.getMessage());
    }

    @Test
    void missingFileNamesIt() {
        LogFileException e = assertThrows(LogFileException.class, () -> LogReader.open(dir.resolve("nope.txt"),
                LogFormat.LIBFM, ReaderOptions.DEFAULT, p -> { }));
        assertTrue(e.getMessage().contains("nope.txt does not exist"));
    }

    @Test
    void formatNames() {
        assertEquals(LogFormat.CRITEO, LogFormat.parse("Criteo"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LogFormat.parse("parquet"));
        assertTrue(e.getMessage().contains("libfm, libsvm, criteo, csv"));
    }
}
