package dev.streamfm.stream;

import dev.streamfm.config.ModelSetup;
import dev.streamfm.config.StreamfmConfig;
import dev.streamfm.config.Topics;
import dev.streamfm.features.BatchBuilder;
import dev.streamfm.features.FeatureStats;
import dev.streamfm.metrics.StreamfmMetrics;
import dev.streamfm.model.Model;
import dev.streamfm.model.ModelBlocks;
import dev.streamfm.model.Models;
import dev.streamfm.model.TrainResult;
import dev.streamfm.schema.DeadLetter;
import dev.streamfm.schema.LabeledExample;
import dev.streamfm.schema.ModelBlock;
import dev.streamfm.stream.serde.AvroSerde;
import dev.streamfm.synth.SynthConfig;
import dev.streamfm.synth.SynthShape;
import dev.streamfm.synth.SyntheticExample;
import dev.streamfm.synth.SyntheticGenerator;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The training topology: batches by count and by time, checkpoints of changed blocks, bad examples. */
class TrainerTopologyTest {

    private static final int BATCH = 8;

    @TempDir
    Path state;

    /** Counts what the trainer reports. */
    private static final class Recorder implements TrainingObserver {
        final List<Integer> stepSizes = new ArrayList<>();
        long version = -1;

        @Override
        public void onStep(List<LabeledExample> examples, float[] labels, TrainResult result, double seconds) {
            stepSizes.add(examples.size());
        }

        @Override
        public void onCheckpoint(long step, int blocks, dev.streamfm.evaluation.Metrics online) {
        }

        @Override
        public void onModelVersion(long v) {
            version = v;
        }
    }

    @Test
    void trainsInBatchesAndPublishesExactlyTheParametersOfADirectRun() throws Exception {
        StreamfmConfig cfg = StreamfmConfig.load(null, Map.of(), Map.of("bootstrap.servers", "unused:9092",
                "streamfm.training.batch.size", Integer.toString(BATCH), "streamfm.training.batch.max.ms", "100",
                "streamfm.training.checkpoint.interval.ms", "50", "streamfm.model.type", "deepfm",
                "streamfm.processing.guarantee", "at_least_once", "streamfm.state.dir", state.toString()));
        ModelSetup setup = ModelSetup.from(cfg);
        StreamfmMetrics metrics = new StreamfmMetrics(new PrometheusRegistry());
        Recorder recorder = new Recorder();
        SyntheticGenerator gen = new SyntheticGenerator(SynthShape.FRAPPE_LIKE, SynthConfig.defaults(4));
        List<LabeledExample> sent = new ArrayList<>();
        Map<String, ModelBlock> published = new HashMap<>();
        Topics t = cfg.topics();
        try (TopologyTestDriver driver = new TopologyTestDriver(TrainerTopology.build(cfg, setup.spec(),
                () -> Models.create(setup.modelConfig(), setup.spec().layout()), recorder, metrics),
                StreamsProperties.of(cfg, ServiceRole.TRAINER, metrics))) {
            TestInputTopic<String, byte[]> in = driver.createInputTopic(t.examples(), new StringSerializer(),
                    new ByteArraySerializer());
            TestOutputTopic<String, ModelBlock> model = driver.createOutputTopic(t.model(), new StringDeserializer(),
                    AvroSerde.of(ModelBlock.class).deserializer());
            TestOutputTopic<String, DeadLetter> dlq = driver.createOutputTopic(t.deadLetters(),
                    new StringDeserializer(), AvroSerde.of(DeadLetter.class).deserializer());

            for (int i = 0; i < 2 * BATCH + 3; i++) {
                SyntheticExample ex = gen.example(i);
                LabeledExample le = LabeledExample.newBuilder().setEvent(ex.event()).setLabel(ex.label())
                        .setLabeledAt(Instant.EPOCH).build();
                sent.add(le);
                in.pipeInput("deepfm", AvroSerde.of(LabeledExample.class).serializer().serialize("t", le));
                if (i == 5) {
                    in.pipeInput("deepfm", new byte[]{1, 2, 3});
                }
            }
            assertEquals(List.of(BATCH, BATCH), recorder.stepSizes, "two full batches trained by count");
            assertEquals("undecodable", dlq.readValue().getReason(), "a corrupt example goes to the dead-letter topic");

            driver.advanceWallClockTime(Duration.ofMillis(60));
            List<ModelBlock> first = model.readValuesToList();
            int fullCheckpoint = first.size();
            first.forEach(b -> published.put(ModelBlocks.key(b.getModel(), b.getVariable(), b.getBlock()), b));
            assertTrue(first.stream().allMatch(b -> b.getVersion() == 2), "first checkpoint at step 2");
            // each block says how many make up its version and what the trainer measured before
            // training on the batches it covers (the scorers' quality gate, README "Model quality gate")
            assertTrue(first.stream().allMatch(b -> b.getVersionBlocks() == fullCheckpoint), "version size");
            assertTrue(first.stream().allMatch(b -> b.getQualityExamples() == 2 * BATCH
                    && b.getOnlineAuc() != null && b.getOnlineAuc() > 0 && b.getOnlineLogloss() != null),
                    "online figures over the two batches: " + first.get(0));

            driver.advanceWallClockTime(Duration.ofMillis(120));
            assertEquals(List.of(BATCH, BATCH, 3), recorder.stepSizes, "the partial batch closes by time");
            driver.advanceWallClockTime(Duration.ofMillis(60));
            List<ModelBlock> second = model.readValuesToList();
            assertTrue(!second.isEmpty() && second.size() < fullCheckpoint,
                    "the second checkpoint has only changed blocks: " + second.size() + " of " + fullCheckpoint);
            assertTrue(second.stream().allMatch(b -> b.getVersionBlocks() == second.size()
                    && b.getQualityExamples() == 2 * BATCH + 3), "the second version's size and figures");
            second.forEach(b -> published.put(ModelBlocks.key(b.getModel(), b.getVariable(), b.getBlock()), b));
            assertEquals(3, recorder.version);
        }

        try (Model direct = Models.create(setup.modelConfig(), setup.spec().layout());
             Model fromBlocks = Models.create(setup.modelConfig(), setup.spec().layout())) {
            BatchBuilder b = new BatchBuilder(setup.spec(), new FeatureStats(), BATCH);
            int[][] cuts = {{0, BATCH}, {BATCH, 2 * BATCH}, {2 * BATCH, 2 * BATCH + 3}};
            for (int[] cut : cuts) {
                List<LabeledExample> part = sent.subList(cut[0], cut[1]);
                float[] labels = new float[part.size()];
                for (int i = 0; i < part.size(); i++) {
                    labels[i] = part.get(i).getLabel();
                }
                direct.trainStep(BatchBuilders.ofValidated(b, part, LabeledExample::getEvent), labels);
            }
            ModelBlocks.applyAll(fromBlocks, new ArrayList<>(published.values()));
            var expected = direct.exportState();
            var actual = fromBlocks.exportState();
            for (var v : expected.variables()) {
                assertTrue(java.util.Arrays.equals(v.values(), actual.variable(v.name()).values()),
                        "variable " + v.name() + " as published equals the direct run");
            }
        }
    }
}
