package dev.streamfm.stream.serde;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class KnownSchemasTest {

    /** A schema added under schemas/ must be added to KnownSchemas, or misrouted records of it read as unknown. */
    @Test
    void everyContractSchemaIsKnownByName() throws Exception {
        List<Path> files;
        try (Stream<Path> list = Files.list(Path.of("schemas"))) {
            files = list.filter(p -> p.toString().endsWith(".avsc")).toList();
        }
        assertFalse(files.isEmpty());
        for (Path file : files) {
            String name = recordName(file);
            Schema schema = (Schema) Class.forName("dev.streamfm.schema." + name).getField("SCHEMA$").get(null);
            assertEquals(name, KnownSchemas.nameOf(KnownSchemas.fingerprint(schema)), file.toString());
        }
    }

    private static String recordName(Path avsc) throws IOException {
        return new ObjectMapper().readTree(avsc.toFile()).get("name").asText();
    }
}
