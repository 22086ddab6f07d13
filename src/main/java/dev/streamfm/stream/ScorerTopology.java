package dev.streamfm.stream;

import dev.streamfm.config.Settings;
import dev.streamfm.config.StreamfmConfig;
import dev.streamfm.config.Topics;
import dev.streamfm.features.FeatureSpec;
import dev.streamfm.metrics.StreamfmMetrics;
import dev.streamfm.schema.ClickEvent;
import dev.streamfm.schema.DeadLetter;
import dev.streamfm.schema.Label;
import dev.streamfm.schema.LabeledExample;
import dev.streamfm.schema.Prediction;
import dev.streamfm.schema.ScoredEvent;
import dev.streamfm.stream.serde.AvroSerde;
import dev.streamfm.stream.serde.InputDecoder;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.JoinWindows;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.StreamJoined;
import org.apache.kafka.streams.state.Stores;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The scorer application: the scoring topology (events -> decode/validate -> micro-batch ->
 * inference -> predictions) and the labeling topology (scored events joined with their labels ->
 * examples) in one Kafka Streams application, because both read the events and labeling needs
 * the served score. Bad events and labels go to the dead-letter topic once, here.
 */
public final class ScorerTopology {

    private ScorerTopology() {
    }

    public static Topology build(StreamfmConfig cfg, FeatureSpec spec, ModelReplica replica,
                                 StreamfmMetrics metrics) {
        StreamsBuilder builder = new StreamsBuilder();
        KStream<String, ScoredEvent> scored = addScoring(builder, cfg, spec, replica, metrics);
        addLabeling(builder, scored, cfg, spec, metrics);
        return builder.build();
    }

    /** Scoring: one prediction per valid event; returns the scored events for labeling. */
    static KStream<String, ScoredEvent> addScoring(StreamsBuilder builder, StreamfmConfig cfg, FeatureSpec spec,
                                                   ModelReplica replica, StreamfmMetrics metrics) {
        Topics topics = cfg.topics();
        String model = cfg.get(Settings.MODEL_NAME);
        KStream<String, ClickEvent> events = ValidInput.decodeOrDeadLetter(builder, topics.events(), "events",
                InputDecoder.events(spec)::decode, topics, metrics);
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(ScoringProcessor.PENDING_STORE), Serdes.Long(), Serdes.ByteArray()));
        KStream<String, ScoredEvent> scored = events.process(() -> new ScoringProcessor(spec, replica, metrics, model,
                        cfg.getInt(Settings.SCORING_BATCH), Duration.ofMillis(cfg.getInt(Settings.SCORING_MAX_MS))),
                Named.as("score-events"), ScoringProcessor.PENDING_STORE);
        scored.mapValues(s -> toPrediction(s, model), Named.as("to-prediction"))
                .to(topics.predictions(), Produced.with(Serdes.String(), AvroSerde.of(Prediction.class))
                        .withName("predictions-sink"));
        return scored;
    }

    /**
     * Labeling: a scored event joined with a click within the attribution window is a positive;
     * one whose window closes without a label is a negative (outer-join results are emitted only
     * after the window and its grace have passed); events that arrive labeled skip the wait.
     * Labels that match no event are counted as orphans.
     */
    static void addLabeling(StreamsBuilder builder, KStream<String, ScoredEvent> scored, StreamfmConfig cfg,
                            FeatureSpec spec, StreamfmMetrics metrics) {
        Topics topics = cfg.topics();
        String model = cfg.get(Settings.MODEL_NAME);
        KStream<String, Label> labels = ValidInput.decodeOrDeadLetter(builder, topics.labels(), "labels",
                InputDecoder.labels(spec)::decode, topics, metrics);
        Map<String, KStream<String, ScoredEvent>> byLabel = scored.split(Named.as("scored-"))
                .branch((k, s) -> s.getEvent().getLabel() != null, Branched.as("labeled"))
                .defaultBranch(Branched.as("unlabeled"));
        Produced<String, LabeledExample> toExamples = Produced.with(Serdes.String(), AvroSerde.of(LabeledExample.class));

        byLabel.get("scored-labeled")
                .map((k, s) -> org.apache.kafka.streams.KeyValue.pair(model,
                        example(s, s.getEvent().getLabel())), Named.as("prelabeled-to-example"))
                .to(topics.examples(), toExamples.withName("prelabeled-examples-sink"));

        Duration window = Duration.ofMillis(cfg.getInt(Settings.ATTRIBUTION_MS));
        Duration grace = Duration.ofMillis(cfg.getLong(Settings.GRACE_MS));
        Serde<ScoredEvent> scoredSerde = AvroSerde.of(ScoredEvent.class);
        Serde<Label> labelSerde = AvroSerde.of(Label.class);
        byLabel.get("scored-unlabeled")
                .outerJoin(labels, JoinOutcome::new,
                        JoinWindows.ofTimeDifferenceAndGrace(window, grace).before(Duration.ZERO),
                        StreamJoined.with(Serdes.String(), scoredSerde, labelSerde)
                                .withName("label-join").withStoreName("label-join-store"))
                .filter((k, j) -> {
                    if (j.scored() == null) {
                        metrics.onDeadLetter(RejectReason.ORPHAN_LABEL.label());
                        return false;
                    }
                    return true;
                }, Named.as("count-orphan-labels"))
                .map((k, j) -> org.apache.kafka.streams.KeyValue.pair(model,
                        example(j.scored(), j.label() == null ? 0 : j.label().getLabel())), Named.as("joined-to-example"))
                .to(topics.examples(), toExamples.withName("joined-examples-sink"));
    }

    /** The outcome of the label join: a scored event, a label, or both. */
    record JoinOutcome(ScoredEvent scored, Label label) {
    }

    private static LabeledExample example(ScoredEvent s, int label) {
        return LabeledExample.newBuilder().setEvent(s.getEvent()).setLabel(label)
                .setLabeledAt(Instant.now()).setServedScore(s.getScore()).build();
    }

    private static Prediction toPrediction(ScoredEvent s, String model) {
        return Prediction.newBuilder().setEventId(s.getEvent().getEventId()).setEventTime(s.getEvent().getEventTime())
                .setScore(s.getScore()).setModel(model).setModelVersion(s.getModelVersion())
                .setScoredAt(Instant.now()).build();
    }
}
