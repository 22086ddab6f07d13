package dev.streamfm.model.tf;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamfm.features.FeatureBatch;
import dev.streamfm.features.FeatureSpec;
import dev.streamfm.features.FieldSpec;
import dev.streamfm.features.Limits;
import dev.streamfm.features.NumericTransform;
import dev.streamfm.model.DecouplingRule;
import dev.streamfm.model.EmbeddingSharing;
import dev.streamfm.model.Model;
import dev.streamfm.model.ModelConfig;
import dev.streamfm.model.ModelDirectory;
import dev.streamfm.model.ModelType;
import dev.streamfm.model.Models;
import dev.streamfm.model.SavedModel;
import dev.streamfm.model.SparseOptimizer;
import dev.streamfm.model.SquaredGradients;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A model saved to a directory and loaded again is the same model, bit for bit; a misfit is named. */
class ModelDirectoryTest {

    private static final FeatureSpec SPEC = new FeatureSpec(List.of(
            FieldSpec.categorical("user", 40),
            FieldSpec.multi("tags", 30, 2),
            FieldSpec.numeric("price", new NumericTransform(NumericTransform.Function.LOG1P, 0, 1e6,
                    new double[] {0.5, 1.25, 7})),
            FieldSpec.numeric("age", NumericTransform.RAW)), new Limits(100, 50, 20, 4096));
    private final ModelConfig config = Fixtures.withOptimizer(
            Fixtures.config(ModelType.DEEPFM, 4, List.of(8, 4), true, 0.2, 0.01, 0.1), SparseOptimizer.FTRL, 0.001);

    @TempDir
    Path dir;

    @Test
    void theSpecReadsBackFromItsYaml() {
        assertEquals(SPEC.toYaml(), FeatureSpec.parse(SPEC.toYaml()).toYaml());
        assertEquals(SPEC.fields().get(0), FeatureSpec.parse(SPEC.toYaml()).fields().get(0));
        assertEquals(SPEC.limits(), FeatureSpec.parse(SPEC.toYaml()).limits());
    }

    @Test
    void savedLoadedAndSavedAgainGivesTheSameBytesAndPredictions() throws IOException {
        Random random = new Random(3);
        FeatureBatch probe = Fixtures.batch(SPEC.layout(), 32, random, true);
        float[] before;
        try (Model m = Models.create(config, SPEC.layout())) {
            for (int i = 0; i < 4; i++) {
                m.trainStep(Fixtures.batch(SPEC.layout(), 16, random, true), Fixtures.labels(16, random));
            }
            before = m.predict(probe);
            ModelDirectory.save(dir.resolve("a"), m, SPEC);
        }
        SavedModel saved = ModelDirectory.read(dir.resolve("a"));
        assertEquals(config, saved.config());
        assertEquals(4, saved.state().step());
        try (Model loaded = saved.load()) {
            assertEquals(4, loaded.step());
            assertArrayEquals(before, loaded.predict(probe));
            ModelDirectory.save(dir.resolve("b"), loaded, saved.spec());
        }
        assertSameFiles(dir.resolve("a"), dir.resolve("b"));
    }

    @ParameterizedTest
    @EnumSource(SquaredGradients.class)
    void theSquaredGradientsSettingIsSaved(SquaredGradients squares) {
        ModelConfig c = config.toBuilder().squaredGradients(squares).build();
        try (Model m = Models.create(c, SPEC.layout())) {
            ModelDirectory.save(dir, m, SPEC);
        }
        assertEquals(c, ModelDirectory.read(dir).config());
    }

    /** Sizes a variant reads only on its own (CIN maps, attention) and the decoupling rule read back as saved. */
    @Test
    void xDeepFmAutoInteractionSizesAndTheDecouplingRuleAreSaved() {
        ModelConfig c = ModelConfig.builder(ModelType.XDEEPFM).sizes(4, List.of(8)).cinLayers(List.of(6, 3))
                .attentionLayers(3).attentionHeads(1).sharing(EmbeddingSharing.AUTO)
                .decoupling(new DecouplingRule(5, 12, 0.75)).build();
        try (Model m = Models.create(c, SPEC.layout())) {
            ModelDirectory.save(dir, m, SPEC);
        }
        assertEquals(c, ModelDirectory.read(dir).config());
        try (Model loaded = ModelDirectory.read(dir).load()) {
            assertEquals(c, loaded.config());
        }
    }

    /**
     * A manifest written before the setting existed has no key for it: the model was trained
     * accumulating squared batch sums, and reads back so, restoring bit for bit.
     */
    @Test
    void aManifestWithoutSquaredGradientsReadsAsBatch() throws IOException {
        ModelConfig old = config.toBuilder().squaredGradients(SquaredGradients.BATCH).build();
        Random random = new Random(5);
        FeatureBatch probe = Fixtures.batch(SPEC.layout(), 32, random, true);
        float[] before;
        try (Model m = Models.create(old, SPEC.layout())) {
            m.trainStep(Fixtures.batch(SPEC.layout(), 16, random, true), Fixtures.labels(16, random));
            before = m.predict(probe);
            ModelDirectory.save(dir.resolve("a"), m, SPEC);
        }
        Path manifest = dir.resolve("a").resolve("model.json");
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = (ObjectNode) json.readTree(manifest.toFile());
        assertEquals("batch", root.path("config").path("squared_gradients").asText());
        ((ObjectNode) root.get("config")).remove("squared_gradients");
        json.writeValue(manifest.toFile(), root);

        SavedModel saved = ModelDirectory.read(dir.resolve("a"));
        assertEquals(SquaredGradients.BATCH, saved.config().squaredGradients());
        assertEquals(old, saved.config());
        try (Model loaded = saved.load()) {
            assertArrayEquals(before, loaded.predict(probe));
            ModelDirectory.save(dir.resolve("b"), loaded, saved.spec());
        }
        try (Stream<Path> walk = Files.walk(dir.resolve("a").resolve("variables"))) {
            for (Path f : walk.filter(Files::isRegularFile).toList()) {
                assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(dir.resolve("b").resolve("variables")
                        .resolve(f.getFileName())), f.toString());
            }
        }
    }

    @Test
    void aModelOfAnotherSpecOrShapeIsNamedWhatDiffers() {
        try (Model m = Models.create(config, SPEC.layout())) {
            ModelDirectory.save(dir, m, SPEC);
        }
        SavedModel saved = ModelDirectory.read(dir);
        try (Model same = Models.create(config, SPEC.layout())) {
            assertEquals(List.of(), saved.differences(SPEC, config, same.variables()));
        }
        FeatureSpec wider = new FeatureSpec(List.of(FieldSpec.categorical("user", 41)), SPEC.limits());
        ModelConfig fm = ModelConfig.builder(ModelType.FM).sizes(5, List.of()).optimizer(SparseOptimizer.ADAGRAD)
                .embeddingLr(0.1).denseLr(0.1).initAccumulator(1).initStddev(0.01).seed(1).build();
        try (Model other = Models.create(fm, wider.layout())) {
            assertEquals(List.of("the feature spec differs (the saved one is " + dir.resolve("features.yaml") + ")",
                    "model type: saved deepfm, here fm", "embedding dim: saved 4, here 5", "towers: saved fm,dnn, here fm",
                            "hidden units: saved [8, 4], here []", "batch norm: saved true, "
                            + "here false", "table optimizer: saved ftrl, here adagrad"),
                    saved.differences(wider, fm, other.variables()));
        }
    }

    private static void assertSameFiles(Path a, Path b) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(a)) {
            files = walk.filter(Files::isRegularFile).map(a::relativize).sorted().toList();
        }
        assertTrue(files.size() > 10, "variables, slots, manifest and spec: " + files);
        for (Path f : files) {
            assertArrayEquals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)), f.toString());
        }
        try (Stream<Path> walk = Files.walk(b)) {
            assertEquals(files.size(), walk.filter(Files::isRegularFile).count());
        }
        assertFalse(Files.readString(a.resolve("model.json")).isBlank());
    }
}
