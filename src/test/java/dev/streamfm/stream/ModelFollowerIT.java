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

    private static FeatureBatch batch(FeatureSpec spec) throws RecordRejectedException {
        SyntheticGenerator gen = new SyntheticGenerator(SynthShape.FRAPPE_LIKE, SynthConfig.defaults(4));
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
            send(producer, ModelBlocks.key(b.getModel(), b.getVariable(), b.getBlock()), serde.encode(b));
        }
    }

    private static void send(KafkaProducer<String, byte[]> producer, String key, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(TOPIC, key, value)).get();
    }
}
