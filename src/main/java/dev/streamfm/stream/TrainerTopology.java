package dev.streamfm.stream;

import dev.streamfm.config.StreamfmConfig;
import dev.streamfm.config.Topics;
import dev.streamfm.features.FeatureSpec;
import dev.streamfm.metrics.StreamfmMetrics;
import dev.streamfm.model.Model;
import dev.streamfm.schema.LabeledExample;
import dev.streamfm.schema.ModelBlock;
import dev.streamfm.stream.serde.AvroSerde;
import dev.streamfm.stream.serde.InputDecoder;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

import java.util.Map;
import java.util.function.Supplier;

/**
 * The trainer application: examples -> predict-then-train -> changed model blocks on the
 * compacted model topic. The examples topic has one partition per model, so exactly one task,
 * and thus one writer, trains each model.
 */
public final class TrainerTopology {

    private TrainerTopology() {
    }

    public static Topology build(StreamfmConfig cfg, FeatureSpec spec, Supplier<Model> modelFactory,
                                 TrainingObserver observer, StreamfmMetrics metrics) {
        Topics topics = cfg.topics();
        StreamsBuilder builder = new StreamsBuilder();
        // Cached, so what changes with every example (the next offset above all) is logged once
        // per commit, not once per example.
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(TrainingProcessor.STEPS_STORE), Serdes.Long(), Serdes.Long())
                .withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(TrainingProcessor.META_STORE), Serdes.String(), Serdes.Long())
                .withCachingEnabled());
        TrainerSettings settings = TrainerSettings.from(cfg);
        DecodeProcessor.Decoder<LabeledExample> decoder = InputDecoder.examples(spec)::decode;
        Map<String, Object> clientProps = StreamsProperties.clientProperties(cfg);
        ExampleLog.Opener exampleLog = partition -> new ExampleLog(clientProps, topics.examples(), partition, decoder);
        TrainingProcessor.CheckpointReader checkpoints = step -> ModelFollower.checkpoint(clientProps, topics.model(),
                settings.modelName(), settings.fingerprint(), step, ModelFollower.READ_TIMEOUT);
        ValidInput.decodeOrDeadLetter(builder, topics.examples(), "examples", decoder,
                (key, timestamp, e) -> {
                    // Examples come from the scorer, keyed by model, with timestamps it checked.
                }, TimestampBounds.NONE, cfg, metrics)
                .process(() -> new TrainingProcessor(settings, spec, modelFactory, observer, exampleLog,
                                checkpoints),
                        Named.as("train"), TrainingProcessor.STEPS_STORE, TrainingProcessor.META_STORE)
                .to(topics.model(), Produced.with(Serdes.String(), AvroSerde.of(ModelBlock.class))
                        .withName("model-blocks-sink"));
        return builder.build();
    }
}
