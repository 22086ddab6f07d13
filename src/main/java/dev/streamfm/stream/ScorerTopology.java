package dev.streamfm.stream;

import dev.streamfm.config.Settings;
import dev.streamfm.config.StreamfmConfig;
import dev.streamfm.config.Topics;
import dev.streamfm.features.FeatureSpec;
import dev.streamfm.metrics.StreamfmMetrics;
import dev.streamfm.schema.ClickEvent;
import dev.streamfm.schema.LabeledExample;
import dev.streamfm.schema.Prediction;
import dev.streamfm.stream.serde.AvroSerde;
import dev.streamfm.stream.serde.InputDecoder;
import dev.streamfm.stream.serde.OutputFormat;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

import java.util.Map;

/**
 * The scorer application, one sub-topology: events and labels are decoded and validated (bad
 * records to the dead-letter topic), merged, and read by the scoring processor, which scores
 * events in micro-batches, writes one prediction per event, holds each event until its
 * attribution window closes and then writes it as a labeled example for the trainer. Events and
 * labels come straight from their co-partitioned topics, so one task sees both in timestamp order
 * and no repartition topic is needed.
 */
public final class ScorerTopology {

    private ScorerTopology() {
    }

    public static Topology build(StreamfmConfig cfg, FeatureSpec spec, ModelReplica replica,
                                 StreamfmMetrics metrics) {
        StreamsBuilder builder = new StreamsBuilder();
        Topics topics = cfg.topics();
        ScorerSettings settings = ScorerSettings.from(cfg);
        TimestampBounds bounds = TimestampBounds.from(cfg);
        InputDecoder<ClickEvent> eventDecoder = InputDecoder.events(spec);
        KStream<String, ScorerInput> events = ValidInput.decodeOrDeadLetter(builder, topics.events(), "events",
                        bytes -> new ScorerInput.Event(eventDecoder.decode(bytes), bytes),
                        (key, timestamp, e) -> EventRecordCheck.check(key, timestamp, e.event().getEventId(),
                                e.event().getEventTime(), bounds), bounds, cfg, metrics)
                .mapValues(e -> (ScorerInput) e, Named.as("events-as-input"));
        KStream<String, ScorerInput> labels = ValidInput.decodeOrDeadLetter(builder, topics.labels(), "labels",
                        InputDecoder.labels(spec)::decode,
                        (key, timestamp, l) -> EventRecordCheck.check(key, timestamp, l.getEventId(),
                                l.getEventTime(), bounds), bounds, cfg, metrics)
                .mapValues(ScorerInput.LabelArrived::new, Named.as("labels-as-input"));

        // Cached: the open batch's earliest time changes with every batch and is logged once per commit.
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(ScoringProcessor.PENDING_SINCE_STORE), Serdes.String(), Serdes.Long())
                .withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(ScoringProcessor.OPEN_STORE), Serdes.Bytes(), Serdes.ByteArray())
                .withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(ScoringProcessor.LABELS_STORE), Serdes.String(), Serdes.ByteArray())
                .withCachingEnabled());
        // Written only under fake-negative feedback; always there so the topology keeps its shape.
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(ScoringProcessor.IDS_STORE), Serdes.String(), Serdes.Long())
                .withCachingEnabled());
        ServedEvaluation served = new ServedEvaluation(settings.modelName(), metrics,
                cfg.getInt(Settings.METRICS_WINDOW));
        Map<String, KStream<String, SpecificRecord>> out = events.merge(labels, Named.as("events-and-labels"))
                .process(() -> new ScoringProcessor(settings, spec, replica, metrics, served), Named.as("score-and-label"),
                        ScoringProcessor.PENDING_SINCE_STORE, ScoringProcessor.OPEN_STORE, ScoringProcessor.LABELS_STORE,
                        ScoringProcessor.IDS_STORE)
                .split(Named.as("scorer-output-"))
                .branch((k, v) -> v instanceof Prediction, Branched.as("predictions"))
                .defaultBranch(Branched.as("examples"));
        out.get("scorer-output-predictions")
                .mapValues(v -> (Prediction) v, Named.as("as-prediction"))
                .to(topics.predictions(), Produced.with(Serdes.String(), OutputFormat.of(cfg).sinkSerde(Prediction.class))
                        .withName("predictions-sink"));
        out.get("scorer-output-examples")
                .mapValues(v -> (LabeledExample) v, Named.as("as-example"))
                .to(topics.examples(), Produced.with(Serdes.String(), AvroSerde.of(LabeledExample.class))
                        .withName("examples-sink"));
        return builder.build();
    }
}
