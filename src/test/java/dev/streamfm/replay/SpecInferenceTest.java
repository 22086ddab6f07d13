package dev.streamfm.replay;

import dev.streamfm.features.FieldBuckets;
import dev.streamfm.features.FieldKind;
import dev.streamfm.features.FieldSpec;
import dev.streamfm.features.NumericTransform;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SpecInferenceTest {

    @TempDir
    Path dir;

    @Test
    void everyFieldSeenWithBucketsFromItsDistinctValues() throws IOException {
        Path csv = dir.resolve("c.csv");
        Files.writeString(csv, "site,label,price,device\ns1,1,2.5,\ns2,0,,d1\ns1,1,1,d1\nbroken\n");
        SpecInference.Result r = SpecInference.infer(csv, LogFormat.CSV,
                ReaderOptions.DEFAULT.withNumericColumns(Set.of("price")), 1000);
        List<FieldSpec> fields = r.spec().fields();
        assertEquals(List.of("site", "device", "price"), fields.stream().map(FieldSpec::name).toList());
        assertEquals(100, fields.get(0).buckets(), "2 distinct sites collide with probability 1/m: 1% at m = 100");
        assertEquals(3, fields.get(1).buckets(), "1 distinct device -> 2 * 1 + 1");
        assertEquals(List.of(new FieldBuckets("site", 2, false, 100), new FieldBuckets("device", 1, false, 3)),
                r.buckets());
        assertEquals(FieldKind.NUMERIC, fields.get(2).kind());
        assertEquals(NumericTransform.of(NumericTransform.Function.LOG1P), fields.get(2).transform());
        assertEquals(5, r.lines());
        assertEquals(3, r.records());
    }

    @Test
    void bucketsAreCapped() throws IOException {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            s.append("1 ").append(i).append(":1\n");
        }
        Path f = dir.resolve("many.libfm");
        Files.writeString(f, s);
        SpecInference.Result r = SpecInference.infer(f, LogFormat.LIBFM, ReaderOptions.DEFAULT, 21);
        assertEquals(21, r.spec().fields().get(0).buckets());
        assertEquals(new FieldBuckets("f0", 21, true, 21), r.buckets().get(0), "ids counted up to the cap");
    }

    @Test
    void aFileWithoutUsableLinesHasNoSpec() throws IOException {
        Path f = dir.resolve("bad.libfm");
        Files.writeString(f, "nonsense\n");
        LogFileException e = assertThrows(LogFileException.class,
                () -> SpecInference.infer(f, LogFormat.LIBFM, ReaderOptions.DEFAULT, 100));
        assertEquals(f + " has no usable line with features; nothing to infer a feature spec from (1 bad lines)",
                e.getMessage());
    }
}
