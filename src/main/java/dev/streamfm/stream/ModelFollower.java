package dev.streamfm.stream;

import dev.streamfm.rejection.RecordRejectedException;
import dev.streamfm.kafka.ReadCommittedConsumer;
import dev.streamfm.model.ModelBlocks;
import dev.streamfm.schema.ModelBlock;
import dev.streamfm.stream.serde.AvroSerde;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Follows the compacted model topic for one model and hands its blocks to the replica. At start
 * it reads the topic to its end (committed data only) so the scorer scores with the newest model
 * from its first event; then a daemon thread keeps following.
 */
public final class ModelFollower implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ModelFollower.class);

    private static final AvroSerde<ModelBlock> BLOCKS = AvroSerde.of(ModelBlock.class);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String modelName;
    private final ModelReplica replica;
    private final Thread thread;
    private volatile boolean running = true;

    private ModelFollower(KafkaConsumer<byte[], byte[]> consumer, String modelName, ModelReplica replica) {
        this.consumer = consumer;
        this.modelName = modelName;
        this.replica = replica;
        this.thread = new Thread(this::follow, "streamfm-model-follower");
        this.thread.setDaemon(true);
    }

    /** Catches up with the model topic (blocking), then follows it in the background. */
    public static ModelFollower start(Map<String, Object> clientProps, String topic, String modelName,
                                      ModelReplica replica, Duration catchUpTimeout) {
        KafkaConsumer<byte[], byte[]> consumer = fromBeginning(clientProps, topic);
        ModelFollower f = new ModelFollower(consumer, modelName, replica);
        List<ModelBlock> caughtUp;
        try {
            caughtUp = readToEnd(consumer, topic, modelName, catchUpTimeout, replica::refuseUndecodable);
        } catch (RuntimeException e) {
            consumer.close();
            throw e;
        }
        replica.applyCatchUp(caughtUp);
        int blocks = caughtUp.size();
        log.info("Model replica '{}' caught up with {}: {} blocks, version {}", modelName, topic, blocks,
                replica.version());
        f.thread.start();
        return f;
    }

    /**
     * The newest committed copy of every block of one model, read from the beginning of the model
     * topic to its end: what a scorer catches up with, what `export` writes and what tells a warm start that the topic
     * holds no model yet.
     */
    public static List<ModelBlock> snapshot(Map<String, Object> clientProps, String topic, String modelName,
                                            Duration timeout) {
        try (KafkaConsumer<byte[], byte[]> consumer = fromBeginning(clientProps, topic)) {
            return readToEnd(consumer, topic, modelName, timeout, problem -> {
                throw new IllegalStateException(problem);
            });
        }
    }

    private static KafkaConsumer<byte[], byte[]> fromBeginning(Map<String, Object> clientProps, String topic) {
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(ReadCommittedConsumer.properties(clientProps, 50),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        TopicPartition tp = new TopicPartition(topic, 0);
        consumer.assign(List.of(tp));
        consumer.seekToBeginning(List.of(tp));
        return consumer;
    }

    /** Undecodable records go to {@code undecodable}: a scorer refuses them and goes on, an export stops. */
    private static List<ModelBlock> readToEnd(KafkaConsumer<byte[], byte[]> consumer, String topic, String modelName,
                                              Duration timeout, java.util.function.Consumer<String> undecodable) {
        TopicPartition tp = new TopicPartition(topic, 0);
        long end = consumer.endOffsets(List.of(tp)).get(tp);
        long deadline = System.nanoTime() + timeout.toNanos();
        // Until the cleaner has compacted it, the topic holds every checkpoint's copy of a block:
        // keeping only the newest of each bounds memory by the model's size, not the topic's.
        Map<String, ModelBlock> newest = new java.util.LinkedHashMap<>();
        while (consumer.position(tp) < end) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("could not read model topic " + topic + " to its end (offset " + end
                        + ") within " + timeout + "; is the broker reachable?");
            }
            for (ModelBlock b : blocksOf(consumer.poll(Duration.ofMillis(200)), modelName, undecodable)) {
                // by fingerprint too: a foreign trainer's later copy must not hide the newest good one
                newest.put(ModelBlocks.key(b.getModel(), b.getVariable(), b.getBlock()) + "#" + b.getFingerprint(), b);
            }
        }
        return List.copyOf(newest.values());
    }

    private void follow() {
        try {
            while (running) {
                try {
                    replica.apply(blocksOf(consumer.poll(Duration.ofMillis(500)), modelName,
                            replica::refuseUndecodable));
                } catch (WakeupException e) {
                    throw e;
                } catch (RuntimeException e) {
                    // A broker away or a failed apply must not end the follower: the scorer would
                    // serve a stale model for good. Blocks of a failed apply come again when the
                    // trainer next rewrites them.
                    log.warn("Model follower: {}; the scorer keeps serving model version {}, retrying in 1 s",
                            e.toString(), replica.version(), e);
                    Thread.sleep(1000);
                }
            }
        } catch (WakeupException e) {
            // close() woke us up
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            consumer.close();
        }
    }

    /** Whether the follower thread still runs (readiness: a dead follower means a stale model). */
    public boolean alive() {
        return thread.isAlive();
    }

    /** The blocks of one model among the records; a record that is no block goes to {@code undecodable}. */
    private static List<ModelBlock> blocksOf(Iterable<ConsumerRecord<byte[], byte[]>> records, String modelName,
                                             java.util.function.Consumer<String> undecodable) {
        List<ModelBlock> out = new java.util.ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            if (r.value() == null) {
                continue;
            }
            try {
                ModelBlock block = BLOCKS.decode(r.value());
                if (block.getModel().equals(modelName)) {
                    out.add(block);
                }
            } catch (RecordRejectedException e) {
                undecodable.accept("the record at offset " + r.offset() + " of the model topic is no model block ("
                        + e.reason().label() + "): " + e.getMessage());
            }
        }
        return out;
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
