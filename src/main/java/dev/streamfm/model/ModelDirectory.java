package dev.streamfm.model;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamfm.features.FeatureSpec;
import dev.streamfm.features.FeatureSpecException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A model on disk, as `eval --save-model` and `export` write it and `score` and
 * streamfm.model.init read it (README, "Warm start, export and batch scoring"):
 * <pre>
 *   model.json          format, step, hyper-parameters, and each variable's name, shape and file
 *   features.yaml       the feature spec it was trained with (a --spec / streamfm.features.spec file)
 *   variables/NAME.f32  each variable and optimizer slot, float32 little-endian, row-major
 * </pre>
 * The values are written bit for bit, so a model saved, loaded and saved again gives the same
 * files; numpy reads a variable with {@code np.fromfile(path, '<f4').reshape(shape)}.
 */
public final class ModelDirectory {

    static final String MANIFEST = "model.json";
    public static final String SPEC_FILE = "features.yaml";
    private static final String VARIABLES = "variables";
    private static final String FORMAT = "streamfm-model/1";
    private static final Pattern FILE_SAFE = Pattern.compile("[A-Za-z0-9_.-]+");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ModelDirectory() {
    }

    /** Writes the model's state, configuration and spec into dir (created if needed; existing files replaced). */
    public static void save(Path dir, Model model, FeatureSpec spec) {
        ModelState state = model.exportState();
        try {
            Files.createDirectories(dir.resolve(VARIABLES));
            ObjectNode manifest = JSON.createObjectNode().put("format", FORMAT).put("step", state.step());
            manifest.set("config", config(model.config()));
            ArrayNode vars = manifest.putArray("variables");
            for (VariableValue v : state.variables()) {
                if (!FILE_SAFE.matcher(v.name()).matches()) {
                    throw new IllegalStateException("variable name " + v.name() + " is not usable as a file name");
                }
                String file = VARIABLES + "/" + v.name() + ".f32";
                ObjectNode n = vars.addObject().put("name", v.name()).put("file", file);
                ArrayNode shape = n.putArray("shape");
                for (long d : v.shape()) {
                    shape.add(d);
                }
                ByteBuffer buf = ByteBuffer.allocate(v.values().length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
                buf.asFloatBuffer().put(v.values());
                Files.write(dir.resolve(file), buf.array());
            }
            Files.writeString(dir.resolve(SPEC_FILE), spec.toYaml());
            Files.writeString(dir.resolve(MANIFEST), JSON.writeValueAsString(manifest));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the model to " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a model directory.
     *
     * @throws IllegalArgumentException naming the directory and what is wrong with it
     */
    public static SavedModel read(Path dir) {
        JsonNode manifest;
        try {
            manifest = JSON.readTree(Files.readString(dir.resolve(MANIFEST)));
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(dir + " holds no saved model (no " + MANIFEST + "); write one with "
                    + "`eval --save-model DIR` or `export --out DIR`");
        } catch (JacksonException e) {
            throw new IllegalArgumentException(dir.resolve(MANIFEST) + " is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir.resolve(MANIFEST), e);
        }
        if (!FORMAT.equals(manifest.path("format").asText())) {
            throw new IllegalArgumentException(dir.resolve(MANIFEST) + " is format '" + manifest.path("format").asText()
                    + "', this version reads " + FORMAT);
        }
        FeatureSpec spec;
        try {
            spec = FeatureSpec.load(dir.resolve(SPEC_FILE));
        } catch (FeatureSpecException e) {
            throw new IllegalArgumentException("saved model " + dir + ": " + e.getMessage(), e);
        }
        List<VariableValue> variables = new ArrayList<>();
        for (JsonNode v : manifest.path("variables")) {
            long[] shape = new long[v.path("shape").size()];
            long elements = 1;
            for (int i = 0; i < shape.length; i++) {
                shape[i] = v.path("shape").get(i).asLong();
                elements *= shape[i];
            }
            Path file = dir.resolve(v.path("file").asText());
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(file);
            } catch (IOException e) {
                throw new IllegalArgumentException("saved model " + dir + ": cannot read " + file + " (" + e + ")");
            }
            if (bytes.length != elements * Float.BYTES) {
                throw new IllegalArgumentException("saved model " + dir + ": " + file + " has " + bytes.length
                        + " bytes, its shape needs " + elements * Float.BYTES);
            }
            float[] values = new float[(int) elements];
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
            variables.add(new VariableValue(v.path("name").asText(), shape, values));
        }
        return new SavedModel(dir, config(manifest.path("config")), spec,
                new ModelState(manifest.path("step").asLong(), variables));
    }

    private static ObjectNode config(ModelConfig c) {
        ObjectNode n = JSON.createObjectNode().put("type", c.type().label()).put("embedding_dim", c.embeddingDim());
        ArrayNode towers = n.putArray("towers");
        c.towers().forEach(t -> towers.add(t.label()));
        n.put("feedback", c.feedback().label());
        c.hiddenUnits().forEach(n.putArray("hidden_units")::add);
        c.cinLayers().forEach(n.putArray("cin_layers")::add);
        return n.put("batch_norm", c.batchNorm()).put("dropout", c.dropout()).put("optimizer", c.optimizer().label())
                .put("embedding_lr", c.embeddingLr()).put("dense_lr", c.denseLr()).put("l1", c.l1()).put("l2", c.l2())
                .put("init_accumulator", c.initAccumulator())
                .put("squared_gradients", c.squaredGradients().label()).put("init_stddev", c.initStddev())
                .put("seed", c.seed())
                .put("admission_min_count", c.admission().minCount())
                .put("expiry_examples", c.admission().expiryExamples()).put("sharing", c.sharing().label())
                .put("attention_layers", c.attentionLayers()).put("attention_heads", c.attentionHeads())
                .put("decoupling_every", c.decoupling().everySteps()).put("decoupling_window", c.decoupling().window())
                .put("decoupling_threshold", c.decoupling().threshold());
    }

    private static List<Integer> ints(JsonNode array) {
        List<Integer> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asInt()));
        return out;
    }

    private static ModelConfig config(JsonNode n) {
        List<String> towers = new ArrayList<>();
        n.path("towers").forEach(t -> towers.add(t.asText()));
        return ModelConfig.builder(ModelType.parse(n.path("type").asText()))
                .towers(n.has("towers") ? Tower.parseList(String.join(",", towers)) : null)
                .sizes(n.path("embedding_dim").asInt(), ints(n.path("hidden_units")))
                .batchNorm(n.path("batch_norm").asBoolean()).dropout(n.path("dropout").asDouble())
                .optimizer(SparseOptimizer.parse(n.path("optimizer").asText()))
                .embeddingLr(n.path("embedding_lr").asDouble()).denseLr(n.path("dense_lr").asDouble())
                .l1(n.path("l1").asDouble()).l2(n.path("l2").asDouble())
                .initAccumulator(n.path("init_accumulator").asDouble())
                // saved before the setting: the accumulator then always took the square of the summed gradient
                .squaredGradients(n.has("squared_gradients")
                        ? SquaredGradients.parse(n.path("squared_gradients").asText()) : SquaredGradients.BATCH)
                .initStddev(n.path("init_stddev").asDouble())
                .seed(n.path("seed").asLong())
                .feedback(DelayedFeedback.parse(n.path("feedback").asText(DelayedFeedback.WINDOW.label())))
                .admission(new AdmissionConfig(n.path("admission_min_count").asInt(AdmissionConfig.OFF.minCount()),
                        n.path("expiry_examples").asLong(AdmissionConfig.OFF.expiryExamples())))
                .sharing(n.has("sharing") ? EmbeddingSharing.parse(n.path("sharing").asText()) : null)
                // each saved since it was a setting; before, every model had the defaults
                .cinLayers(n.has("cin_layers") ? ints(n.path("cin_layers")) : ModelConfig.DEFAULTS.cinLayers())
                .attentionLayers(n.path("attention_layers").asInt(ModelConfig.DEFAULTS.attentionLayers()))
                .attentionHeads(n.path("attention_heads").asInt(ModelConfig.DEFAULTS.attentionHeads()))
                .decoupling(new DecouplingRule(n.path("decoupling_every").asInt(DecouplingRule.DEFAULTS.everySteps()),
                        n.path("decoupling_window").asInt(DecouplingRule.DEFAULTS.window()),
                        n.path("decoupling_threshold").asDouble(DecouplingRule.DEFAULTS.threshold())))
                .build();
    }
}
