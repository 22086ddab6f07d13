package dev.streamfm.stream;

import dev.streamfm.config.Settings;
import dev.streamfm.config.StreamfmConfig;
import dev.streamfm.config.Topics;
import dev.streamfm.features.FeatureSpec;
import dev.streamfm.metrics.StreamfmMetrics;
import dev.streamfm.schema.ClickEvent;
import dev.streamfm.schema.Label;
import dev.streamfm.schema.LabeledExample;
import dev.streamfm.schema.Prediction;
import dev.streamfm.schema.ScoredEvent;
import dev.streamfm.stream.serde.AvroSerde;
import dev.streamfm.stream.serde.InputDecoder;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
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
        Topics topics = cfg.topics();
        KStream<String, ClickEvent> events = ValidInput.decodeOrDeadLetter(builder, topics.events(), "events",
                InputDecoder.events(spec)::decode, topics, metrics);
        KStream<String, Label> labels = ValidInput.decodeOrDeadLetter(builder, topics.labels(), "labels",
                InputDecoder.labels(spec)::decode, topics, metrics);
        KStream<String, ScoredEvent> scored = addScoring(builder, events, cfg, spec, replica, metrics);
        addLabeling(events, labels, cfg, metrics);
        addServedEvaluation(scored, labels, cfg, metrics);
        return builder.build();
    }

    /** Scoring: one prediction per valid event; returns the scored events. */
    static KStream<String, ScoredEvent> addScoring(StreamsBuilder builder, KStream<String, ClickEvent> events,
                                                   StreamfmConfig cfg, FeatureSpec spec, ModelReplica replica,
                                                   StreamfmMetrics metrics) {
        String model = cfg.get(Settings.MODEL_NAME);
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(ScoringProcessor.PENDING_STORE), Serdes.Long(), Serdes.ByteArray()));
        KStream<String, ScoredEvent> scored = events.process(() -> new ScoringProcessor(spec, replica, metrics, model,
                        cfg.getInt(Settings.SCORING_BATCH), Duration.ofMillis(cfg.getInt(Settings.SCORING_MAX_MS))),
                Named.as("score-events"), ScoringProcessor.PENDING_STORE);
        scored.mapValues(s -> toPrediction(s, model), Named.as("to-prediction"))
                .to(cfg.topics().predictions(), Produced.with(Serdes.String(), AvroSerde.of(Prediction.class))
                        .withName("predictions-sink"));
        return scored;
    }

    /**
     * Labeling: an event joined with a click within the attribution window is a positive; one
     * whose window closes without a label is a negative (outer-join results are emitted only
     * after the window and its grace have passed); events that arrive labeled skip the wait.
     * Labels that match no event are counted as orphans.
     *
     * <p>The join reads the decoded events, not the scored ones: the scoring processor may change
     * keys as far as Kafka Streams knows, so joining its output needs a repartition topic, whose
     * data appears only at commits while labels are there at once; catching up on a backlog, the
     * join then raced through the labels and lost the clicks (measured: 2.6k-12k of 25k positives
     * in a 100k-event run). Events and labels straight from their co-partitioned topics are read
     * in timestamp order.
     */
    static void addLabeling(KStream<String, ClickEvent> events, KStream<String, Label> labels, StreamfmConfig cfg,
                            StreamfmMetrics metrics) {
        Topics topics = cfg.topics();
        String model = cfg.get(Settings.MODEL_NAME);
        Map<String, KStream<String, ClickEvent>> byLabel = events.split(Named.as("events-by-label-"))
                .branch((k, e) -> e.getLabel() != null, Branched.as("labeled"))
                .defaultBranch(Branched.as("unlabeled"));
        Produced<String, LabeledExample> toExamples = Produced.with(Serdes.String(), AvroSerde.of(LabeledExample.class));

        byLabel.get("events-by-label-labeled")
                .map((k, e) -> KeyValue.pair(model, example(e, e.getLabel())), Named.as("prelabeled-to-example"))
                .to(topics.examples(), toExamples.withName("prelabeled-examples-sink"));

        byLabel.get("events-by-label-unlabeled")
                .outerJoin(labels, JoinOutcome<ClickEvent>::new, attributionWindow(cfg),
                        StreamJoined.with(Serdes.String(), AvroSerde.of(ClickEvent.class), AvroSerde.of(Label.class))
                                .withName("label-join").withStoreName("label-join-store"))
                .filter((k, j) -> {
                    if (j.left() == null) {
                        metrics.onDeadLetter(RejectReason.ORPHAN_LABEL.label());
                        return false;
                    }
                    return true;
                }, Named.as("count-orphan-labels"))
                .map((k, j) -> KeyValue.pair(model, example(j.left(), j.labelValue())), Named.as("joined-to-example"))
                .to(topics.examples(), toExamples.withName("joined-examples-sink"));
    }

    /**
     * The served model's online metrics: each served score joined with its click (or the lack of
     * one) over the same attribution window. Only metrics depend on this join, so the repartition
     * that follows the scoring processor is harmless here.
     */
    static void addServedEvaluation(KStream<String, ScoredEvent> scored, KStream<String, Label> labels,
                                    StreamfmConfig cfg, StreamfmMetrics metrics) {
        ServedEvaluation served = new ServedEvaluation(cfg.get(Settings.MODEL_NAME), metrics,
                cfg.getInt(Settings.METRICS_WINDOW));
        scored.filter((k, s) -> s.getEvent().getLabel() == null, Named.as("served-unlabeled"))
                .leftJoin(labels, JoinOutcome<ScoredEvent>::new, attributionWindow(cfg),
                        StreamJoined.with(Serdes.String(), AvroSerde.of(ScoredEvent.class), AvroSerde.of(Label.class))
                                .withName("served-join").withStoreName("served-join-store"))
                .foreach((k, j) -> served.add(j.left().getScore(), j.labelValue()), Named.as("served-evaluation"));
    }

    private static JoinWindows attributionWindow(StreamfmConfig cfg) {
        return JoinWindows.ofTimeDifferenceAndGrace(Duration.ofMillis(cfg.getInt(Settings.ATTRIBUTION_MS)),
                Duration.ofMillis(cfg.getLong(Settings.GRACE_MS))).before(Duration.ZERO);
    }

    /** The outcome of a label join: the left record, a label, or both. */
    record JoinOutcome<L>(L left, Label label) {
        int labelValue() {
            return label == null ? 0 : label.getLabel();
        }
    }

    private static LabeledExample example(ClickEvent e, int label) {
        return LabeledExample.newBuilder().setEvent(e).setLabel(label).setLabeledAt(Instant.now()).build();
    }

    private static Prediction toPrediction(ScoredEvent s, String model) {
        return Prediction.newBuilder().setEventId(s.getEvent().getEventId()).setEventTime(s.getEvent().getEventTime())
                .setScore(s.getScore()).setModel(model).setModelVersion(s.getModelVersion())
                .setScoredAt(Instant.now()).build();
    }
}
