package dev.streamfm.cli;

import dev.streamfm.config.ModelSetup;
import dev.streamfm.config.StreamfmConfig;
import dev.streamfm.model.Model;
import dev.streamfm.model.ModelBlocks;
import dev.streamfm.model.ModelDirectory;
import dev.streamfm.model.Models;
import dev.streamfm.schema.ModelBlock;
import dev.streamfm.stream.ModelFollower;
import dev.streamfm.stream.StreamsProperties;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code streamfm export}: the newest model on the model topic, written as a model directory. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Write the newest model of the model topic (the trainer's last checkpoint, committed data only) "
                + "to a directory, for `score --model DIR` or a warm start elsewhere "
                + "(--set streamfm.model.init=DIR). Give it the settings serve runs with: they say which topic, "
                + "model name, feature spec and shape to read."},
        footer = {"", "Examples:",
                "  streamfm export --bootstrap-servers localhost:9092 --out live-model",
                "  streamfm export --config /etc/streamfm/streamfm.properties --out /backup/model-$(date +%%F)"})
final class ExportCommand implements Callable<Integer> {

    @Mixin
    ServiceOptions options;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "directory to write the model to")
    Path out;

    @Override
    public Integer call() {
        StreamfmConfig cfg = options.load(Map.of());
        ModelSetup setup = ModelSetup.from(cfg);
        String topic = cfg.topics().model();
        List<ModelBlock> blocks = ModelFollower.snapshot(StreamsProperties.clientProperties(cfg), topic,
                setup.modelName(), ModelFollower.READ_TIMEOUT);
        if (blocks.isEmpty()) {
            throw new IllegalArgumentException(topic + " on " + cfg.bootstrapServers() + " holds no block of model '"
                    + setup.modelName() + "': has a trainer published yet? (check streamfm.model.name and "
                    + "streamfm.topic.prefix)");
        }
        long step = blocks.stream().mapToLong(ModelBlock::getVersion).max().orElseThrow();
        try (Model model = Models.create(setup.modelConfig(), setup.spec().layout())) {
            ModelBlocks.applyAll(model, blocks);
            model.setStep(step);
            ModelDirectory.save(out, model, setup.spec());
        }
        System.err.printf("exported model '%s' (step %d, %d blocks of %s) to %s%n", setup.modelName(), step,
                blocks.size(), topic, out);
        return 0;
    }
}
