package dev.streamfm.stream;

import dev.streamfm.rejection.RecordRejectedException;
import dev.streamfm.features.BatchBuilder;
import dev.streamfm.features.FeatureBatch;
import dev.streamfm.features.FeatureSpec;
import dev.streamfm.features.FeatureStats;
import dev.streamfm.kafka.EmbeddedKafkaBroker;
import dev.streamfm.model.Model;
import dev.streamfm.model.ModelBlocks;
import dev.streamfm.model.ModelConfig;
import dev.streamfm.model.ModelFingerprint;
import dev.streamfm.model.ModelType;
import dev.streamfm.model.Models;
import dev.streamfm.model.QualityGate;
import dev.streamfm.schema.ModelBlock;
import dev.streamfm.stream.serde.AvroSerde;
import dev.streamfm.synth.SynthConfig;
import dev.streamfm.synth.SynthShape;
import dev.streamfm.synth.SyntheticExample;
import dev.streamfm.synth.SyntheticGenerator;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A scorer's model follower on a model topic that also holds foreign and corrupt blocks: each is
 * refused and counted by reason, never applied, and neither the catch-up at start nor the
 * follower thread stops; the replica keeps serving the last good model and takes the next one.
 */
class ModelFollowerIT {

    private static final String TOPIC = "followed.model";
    private static final String MODEL = "deepfm";

    @Test
    void foreignAndCorruptBlocksAreRefusedAndTheFollowerGoesOn() throws Exception {
        FeatureSpec spec = FeatureSpec.forShape(SynthShape.FRAPPE_LIKE);
        ModelConfig config = ModelConfig.builder(ModelType.FM).sizes(8, List.of()).build();
        long own = ModelFingerprint.of(spec, config);
        ModelConfig otherSizeConfig = ModelConfig.builder(ModelType.FM).sizes(4, List.of()).build();
        FeatureBatch batch = batch(spec);
        Map<String, AtomicInteger> refused = new ConcurrentHashMap<>();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()), new StringSerializer(),
                     new ByteArraySerializer());
             Model trainer = Models.create(config, spec.layout());
             Model sameShapeOtherMeaning = Models.create(config.toBuilder().seed(99).build(),
                     spec.layout());
             Model otherSize = Models.create(otherSizeConfig, spec.layout());
             ModelReplica replica = new ModelReplica(Models.create(config, spec.layout()), own, (b, s) -> {
             }, reason -> refused.computeIfAbsent(reason, r -> new AtomicInteger()).incrementAndGet())) {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            // Before the scorer starts: a good model at version 1 with junk around it.
            send(producer, "junk", new byte[]{0x13, 0x37});
            trainer.setStep(1);
            sendAll(producer, ModelBlocks.changed(trainer, MODEL, own, null, 256, 0));
            sameShapeOtherMeaning.setStep(5);
            sendAll(producer, ModelBlocks.changed(sameShapeOtherMeaning, MODEL, own ^ 0x5a5a, null, 256, 0));
            try (ModelFollower follower = ModelFollower.start(Map.of("bootstrap.servers", broker.bootstrapServers()),
                    TOPIC, MODEL, replica, Duration.ofSeconds(60))) {
                assertEquals(1, replica.version(), "caught up with the good model only");
                assertArrayEquals(trainer.predict(batch), replica.score(batch).probabilities());

                // While it follows: corrupt bytes, blocks of another size, then the next good model.
                send(producer, "corrupt", new byte[]{(byte) 0xC3, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 9});
                otherSize.setStep(7);
                sendAll(producer, ModelBlocks.changed(otherSize, MODEL, ModelFingerprint.of(spec, otherSizeConfig),
                        null, 256, 0));
                // From a writer before fingerprints (0): only its shapes can tell.
                List<List<Long>> shapes = ModelBlocks.changed(trainer, MODEL, own, null, 256, 0).stream()
                        .map(ModelBlock::getShape).toList();
                sendAll(producer, ModelBlocks.changed(otherSize, MODEL, 0, null, 256, 0).stream()
                        .filter(b -> !shapes.contains(b.getShape())).toList());
                trainer.trainStep(batch, new float[batch.size()]);
                trainer.setStep(2);
                sendAll(producer, ModelBlocks.changed(trainer, MODEL, own, null, 256, 0));
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (replica.version() < 2 && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertEquals(2, replica.version(), "the next good model arrived");
                assertArrayEquals(trainer.predict(batch), replica.score(batch).probabilities(),
                        "the replica serves exactly the good model");
                assertTrue(follower.alive(), "the follower still follows");
            }
        }
        assertEquals(2, refused.get("undecodable").get(), "junk and corrupt records");
        assertTrue(refused.get("foreign_model").get() > 0, "blocks of another spec or configuration");
        assertTrue(refused.get("wrong_shape").get() > 0, "blocks of another size");
    }

    /**
     * The quality gate between topic and replica: a version whose AUC fell is not applied; the
     * next good version is, together with the rejected one's blocks it does not rewrite, so the
     * replica equals the trainer bit for bit; a pinned scorer rebuilds its version from the topic
     * at start (a rollback) and applies nothing later.
     */
    @Test
    void aRejectedVersionIsNotAppliedTheNextGoodOneIsExactlyAndAPinHolds() throws Exception {
        FeatureSpec spec = FeatureSpec.forShape(SynthShape.FRAPPE_LIKE);
        ModelConfig config = ModelConfig.builder(ModelType.FM).sizes(8, List.of()).build();
        long own = ModelFingerprint.of(spec, config);
        FeatureBatch probe = batch(spec, 4);
        QualityGate.Config gateConfig = new QualityGate.Config(true, 0.02, 0.05, 3_600_000, 1_000,
                java.util.OptionalLong.empty());
        List<QualityGate.Decision> rejected = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<QualityGate.Decision> pinnedRejections = new java.util.concurrent.CopyOnWriteArrayList<>();
        Map<String, Object> client;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()), new StringSerializer(),
                     new ByteArraySerializer());
             Model trainer = Models.create(config, spec.layout());
             ModelReplica replica = new ModelReplica(Models.create(config, spec.layout()), own, (b, s) -> {
             }, reason -> {
             })) {
            client = Map.of("bootstrap.servers", broker.bootstrapServers());
            try (Admin admin = Admin.create(client)) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            trainer.setStep(1);
            sendAll(producer, ModelBlocks.withQuality(ModelBlocks.changed(trainer, MODEL, own, null, 32, 1_000),
                    0.80, 0.40, 10_000));
            float[] version1 = trainer.predict(probe);
            try (ModelFollower follower = ModelFollower.start(client, TOPIC, MODEL, replica, Duration.ofSeconds(60),
                    gateConfig, rejected::add)) {
                assertEquals(1, replica.version());

                // version 2: trained on noise, its AUC 0.10 down: rejected, not applied
                List<String> v2 = publishStep(producer, trainer, own, batch(spec, 5), 2, 0.70, 0.45);
                waitFor(() -> rejected.size() == 1);
                assertEquals(QualityGate.AUC_DROP, rejected.get(0).reason());
                assertEquals(2, rejected.get(0).candidate().version());
                assertEquals(1, replica.version(), "the replica keeps version 1");
                assertArrayEquals(version1, replica.score(probe).probabilities(), "and serves it unchanged");

                // version 3 rewrites only the blocks its own step touched; those of version 2 it
                // does not rewrite must come with it, or the replica would mix versions 1 and 3
                List<String> v3 = publishStep(producer, trainer, own, batch(spec, 6), 3, 0.81, 0.40);
                assertTrue(!v3.containsAll(v2), "version 2 wrote blocks that version 3 does not rewrite");
                waitFor(() -> replica.version() == 3);
                assertArrayEquals(trainer.predict(probe), replica.score(probe).probabilities(),
                        "the replica equals the trainer at version 3, bit for bit");
                assertEquals(1, rejected.size());
            }

            // A rollback: a scorer pinned to version 1 rebuilds it from the (uncompacted) topic ...
            try (ModelReplica pinned = new ModelReplica(Models.create(config, spec.layout()), own, (b, s) -> {
            }, reason -> {
            });
                 ModelFollower follower = ModelFollower.start(client, TOPIC, MODEL, pinned, Duration.ofSeconds(60),
                         gateConfig.pinned(1), pinnedRejections::add)) {
                assertEquals(1, pinned.version());
                assertArrayEquals(version1, pinned.score(probe).probabilities(), "version 1 exactly");
                // ... and applies no later version, however good
                publishStep(producer, trainer, own, batch(spec, 7), 4, 0.85, 0.35);
                waitFor(() -> pinnedRejections.size() == 1);
                assertEquals(QualityGate.PINNED, pinnedRejections.get(0).reason());
                assertEquals(1, pinned.version());
                assertArrayEquals(version1, pinned.score(probe).probabilities());
            }
        }
    }

    /** One training step on the trainer and the blocks it changed, published as a version; returns their keys. */
    private static List<String> publishStep(KafkaProducer<String, byte[]> producer, Model trainer, long fingerprint,
                                            FeatureBatch batch, long version, double auc, double logloss)
            throws Exception {
        float[] labels = new float[batch.size()];
        for (int i = 0; i < labels.length; i += 3) {
            labels[i] = 1;
        }
        java.util.BitSet dirty = new java.util.BitSet();
        for (int r : trainer.trainStep(batch, labels).changedRows()) {
            dirty.set(r);
        }
        trainer.setStep(version);
        List<ModelBlock> blocks = ModelBlocks.withQuality(ModelBlocks.changed(trainer, MODEL, fingerprint, dirty, 32,
                version * 1_000), auc, logloss, 10_000);
        sendAll(producer, blocks);
        return blocks.stream().map(b -> ModelBlocks.key(b.getModel(), b.getVariable(), b.getBlock())).toList();
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(condition.getAsBoolean(), "timed out");
    }

    private static FeatureBatch batch(FeatureSpec spec) throws RecordRejectedException {
        return batch(spec, 4);
    }

    private static FeatureBatch batch(FeatureSpec spec, long seed) throws RecordRejectedException {
        SyntheticGenerator gen = new SyntheticGenerator(SynthShape.FRAPPE_LIKE, SynthConfig.defaults(seed));
        BatchBuilder b = new BatchBuilder(spec, new FeatureStats(), 64);
        for (int i = 0; i < 64; i++) {
            SyntheticExample ex = gen.example(i);
            b.add(ex.event());
        }
        return b.build();
    }

    private static void sendAll(KafkaProducer<String, byte[]> producer, List<ModelBlock> blocks) throws Exception {
        AvroSerde<ModelBlock> serde = AvroSerde.of(ModelBlock.class);
        for (ModelBlock b : blocks) {
            producer.send(new ProducerRecord<>(TOPIC, ModelBlocks.key(b.getModel(), b.getVariable(), b.getBlock()),
                    serde.encode(b)));
        }
        producer.flush();
    }

    private static void send(KafkaProducer<String, byte[]> producer, String key, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(TOPIC, key, value)).get();
    }
}
