package dev.streamfm.stream;

import dev.streamfm.config.ConfigException;
import dev.streamfm.config.ModelSetup;
import dev.streamfm.config.Settings;
import dev.streamfm.config.StreamfmConfig;
import dev.streamfm.model.Model;
import dev.streamfm.model.ModelConfig;
import dev.streamfm.model.ModelDirectory;
import dev.streamfm.model.ModelUse;
import dev.streamfm.model.Models;
import dev.streamfm.model.SavedModel;
import dev.streamfm.model.Tower;
import dev.streamfm.schema.ModelBlock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The model the trainer and the scorer's replica start from: a fresh one, or, with
 * streamfm.model.init, the saved model in that directory while the model topic holds no block of
 * this model (README, "Warm start, export and batch scoring"). Once the trainer has published,
 * its checkpoint is the truth and the directory no longer matters.
 */
final class InitialModel {

    private static final Logger log = LoggerFactory.getLogger(InitialModel.class);

    private InitialModel() {
    }

    /**
     * What creates the starting model for a use (the trainer's, or each of the scorer's copies),
     * decided once at start-up.
     *
     * @throws ConfigException when the saved model does not fit the configured spec and shape
     */
    static Function<ModelUse, Model> of(StreamfmConfig cfg, ModelSetup setup) {
        Function<ModelUse, Model> fresh = use -> Models.create(setup.modelConfig(), setup.spec().layout(), use);
        String init = cfg.get(Settings.MODEL_INIT);
        if (init.isBlank()) {
            return fresh;
        }
        String model = setup.modelName();
        List<ModelBlock> published = ModelFollower.snapshot(StreamsProperties.clientProperties(cfg),
                cfg.topics().model(), model, ModelFollower.READ_TIMEOUT);
        if (!published.isEmpty()) {
            long version = published.stream().mapToLong(ModelBlock::getVersion).max().orElseThrow();
            log.info("{}={} not used: {} already holds model '{}' (version {}), which the trainer goes on from",
                    Settings.MODEL_INIT.key(), init, cfg.topics().model(), model, version);
            return fresh;
        }
        Path dir = Path.of(init);
        SavedModel saved = read(dir);
        List<String> differences;
        try (Model probe = fresh.apply(ModelUse.SCORING)) {
            differences = saved.differences(setup.spec(), setup.modelConfig(), probe.variables());
        }
        if (!differences.isEmpty()) {
            throw new ConfigException(Settings.MODEL_INIT.key() + "=" + init + " does not fit this configuration: "
                    + String.join("; ", differences) + ". To start from it, set " + settingsOf(saved));
        }
        log.info("Model '{}' starts from {} (step {}): {} holds none of it yet", model, dir, saved.state().step(),
                cfg.topics().model());
        // Read again at every (re)initialisation instead of keeping a large state in memory for good.
        return use -> {
            Model m = fresh.apply(use);
            m.importState(read(dir).state());
            return m;
        };
    }

    private static SavedModel read(Path dir) {
        try {
            return ModelDirectory.read(dir);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(Settings.MODEL_INIT.key() + "=" + dir + ": " + e.getMessage());
        }
    }

    /** The settings under which this service builds the saved model's spec and shape. */
    private static String settingsOf(SavedModel saved) {
        ModelConfig c = saved.config();
        List<String> settings = new ArrayList<>(List.of(
                Settings.SPEC_FILE.key() + "=" + saved.dir().resolve(ModelDirectory.SPEC_FILE),
                Settings.MODEL_TYPE.key() + "=" + c.type().label()));
        if (!c.towers().equals(c.type().towers())) {
            settings.add(Settings.TOWERS.key() + "=" + String.join(",", c.towers().stream().map(Tower::label).toList()));
        }
        settings.add(Settings.EMBEDDING_DIM.key() + "=" + c.embeddingDim());
        settings.add(Settings.HIDDEN_UNITS.key() + "=" + String.join(",",
                c.hiddenUnits().stream().map(String::valueOf).toList()));
        settings.add(Settings.BATCH_NORM.key() + "=" + c.batchNorm());
        settings.add(Settings.OPTIMIZER.key() + "=" + c.optimizer().label());
        settings.add(Settings.ADMISSION_MIN_COUNT.key() + "=" + c.admission().minCount());
        settings.add(Settings.EXPIRY_EXAMPLES.key() + "=" + c.admission().expiryExamples());
        return String.join(" ", settings);
    }
}
