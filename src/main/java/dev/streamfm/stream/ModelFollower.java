package dev.streamfm.stream;

import dev.streamfm.rejection.RecordRejectedException;
import dev.streamfm.kafka.ReadCommittedConsumer;
import dev.streamfm.model.ModelBlocks;
import dev.streamfm.model.QualityGate;
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
import java.util.Set;
import java.util.TreeMap;

/**
 * Follows the compacted model topic for one model and hands its blocks to the replica. At start
 * it reads the topic to its end (committed data only) so the scorer scores with the newest model
 * the quality gate accepts from its first event; then a daemon thread keeps following, handing
 * the replica each version the gate accepts (README, "Model quality gate").
 */
public final class ModelFollower implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ModelFollower.class);

    /** How long a reader of the model topic (scorer start, trainer restore, export, warm start) waits for its end. */
    public static final Duration READ_TIMEOUT = Duration.ofSeconds(120);

    private static final AvroSerde<ModelBlock> BLOCKS = AvroSerde.of(ModelBlock.class);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String modelName;
    private final ModelReplica replica;
    private final Thread thread;
    private final VersionGate gate;
    private volatile boolean running = true;

    private ModelFollower(KafkaConsumer<byte[], byte[]> consumer, String modelName, ModelReplica replica,
                          VersionGate gate) {
        this.consumer = consumer;
        this.gate = gate;
        this.modelName = modelName;
        this.replica = replica;
        this.thread = new Thread(this::follow, "streamfm-model-follower");
        this.thread.setDaemon(true);
    }

    /**
     * Catches up with the model topic (blocking), then follows it in the background; every
     * version is applied as it comes (no quality gate).
     */
    public static ModelFollower start(Map<String, Object> clientProps, String topic, String modelName,
                                      ModelReplica replica, Duration catchUpTimeout) {
        return start(clientProps, topic, modelName, replica, catchUpTimeout, QualityGate.Config.OFF, d -> {
        });
    }

    /**
     * Catches up with the model topic (blocking), then follows it in the background, applying only
     * the versions the quality gate accepts (README, "Model quality gate").
     *
     * @param rejections told of every version the gate rejects while following
     */
    public static ModelFollower start(Map<String, Object> clientProps, String topic, String modelName,
                                      ModelReplica replica, Duration catchUpTimeout, QualityGate.Config gateConfig,
                                      VersionGate.RejectionListener rejections) {
        KafkaConsumer<byte[], byte[]> consumer = fromBeginning(clientProps, topic);
        VersionGate gate = new VersionGate(new QualityGate(gateConfig), replica.fingerprint(), d -> {
            log.warn("Model quality gate: {}; the scorer keeps serving version {} (counted in "
                    + "streamfm_model_versions_rejected_total)", d.describe(), replica.version());
            rejections.onRejected(d);
        });
        ModelFollower f = new ModelFollower(consumer, modelName, replica, gate);
        Read caughtUp;
        try {
            caughtUp = catchUp(consumer, topic, modelName, replica, catchUpTimeout, gate);
        } catch (RuntimeException e) {
            consumer.close();
            throw e;
        }
        replica.applyCatchUp(caughtUp.apply());
        gate.hold(caughtUp.newer());
        log.info("Model replica '{}' caught up with {}: {} blocks, version {}{}", modelName, topic,
                caughtUp.apply().size(), replica.version(), caughtUp.newer().isEmpty() ? ""
                        : "; " + caughtUp.newer().size() + " blocks of later versions held back by the quality gate");
        f.thread.start();
        return f;
    }

    /**
     * What a scorer starts with: the newest version the gate accepts among those the topic still
     * describes (at most the pinned one), rebuilt as the newest copy of each block written at or
     * before it, and the later blocks to hold. A compacted topic may no longer hold a block's copy of
     * that version: then a pinned scorer refuses to start, and an unpinned one takes the newest model.
     */
    private static Read catchUp(KafkaConsumer<byte[], byte[]> consumer, String topic, String modelName,
                                ModelReplica replica, Duration timeout, VersionGate gate) {
        QualityGate.Config config = gate.gate().config();
        long limit = config.pinnedVersion().orElse(Long.MAX_VALUE);
        Read read = readToEnd(consumer, topic, modelName, timeout, replica::refuseUndecodable, replica.fingerprint(),
                limit);
        long target = -1;
        for (QualityGate.Quality q : read.versions().values()) {
            if (q.version() > limit) {
                continue;
            }
            QualityGate.Decision d = gate.gate().judge(q);
            if (d.accepted()) {
                target = q.version();
            } else {
                log.warn("Model quality gate, catching up: {}", d.describe());
            }
        }
        var described = read.versions().headMap(limit, true);
        long newestDescribed = described.isEmpty() ? -1 : described.lastKey();
        if (target >= 0 && target < newestDescribed) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.seekToBeginning(List.of(tp));
            read = readToEnd(consumer, topic, modelName, timeout, m -> {
            }, replica.fingerprint(), target);
        }
        Set<String> missing = read.missing();
        if (missing.isEmpty()) {
            return read;
        }
        String what = missing.size() + " blocks (" + missing.stream().limit(3).toList() + (missing.size() > 3 ? ", ..."
                : "") + ") have no copy at or before version " + (target >= 0 ? target : limit)
                + " left on " + topic + " (compaction keeps only the newest copy of a block)";
        if (config.pinnedVersion().isPresent()) {
            throw new IllegalStateException("streamfm.model.gate.pin=" + limit + ": the pinned version cannot be "
                    + "rebuilt: " + what + ". Pin a version the topic still holds, e.g. the one the scorers serve "
                    + "(streamfm_model_version{role=\"scorer\"}), or leave the pin empty");
        }
        log.warn("Model quality gate, catching up: the newest accepted version cannot be rebuilt: {}; the scorer "
                + "starts with the newest model on the topic instead", what);
        List<ModelBlock> all = new java.util.ArrayList<>(read.apply());
        all.addAll(read.newer());
        return new Read(all, List.of(), read.versions(), Set.of());
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
            }, 0, Long.MAX_VALUE).apply();
        }
    }

    /**
     * A trainer's last checkpoint, read back from the model topic it was published to: the newest
     * committed copy of every block of this fingerprint written at or before {@code step}. The
     * topic is the only copy of the blocks (architecture.md, section 4); under exactly-once the
     * checkpoint's blocks commit in the same transaction as the step the trainer logged, so no
     * later copy is committed and none is missing.
     *
     * @throws IllegalStateException when the topic cannot be read to its end in time
     */
    static List<ModelBlock> checkpoint(Map<String, Object> clientProps, String topic, String modelName,
                                       long fingerprint, long step, Duration timeout) {
        try (KafkaConsumer<byte[], byte[]> consumer = fromBeginning(clientProps, topic)) {
            // A record that is no block is someone else's: refused and skipped, as a scorer does; a
            // block it should have been shows up as uncovered rows.
            return readToEnd(consumer, topic, modelName, timeout, problem -> log.warn("Trainer restore: {}; skipped",
                    problem), fingerprint, step).apply().stream().filter(b -> ModelBlocks.writtenFor(b, fingerprint)).toList();
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

    /**
     * The blocks of one model read to the end of the topic: the newest copy of each block at or
     * before {@code limit}, the newest copy of each of this fingerprint's blocks after it, and the
     * quality every version of this fingerprint reported.
     *
     * @param apply    newest copy per block and fingerprint of version <= limit
     * @param newer    newest copy per block of version > limit (this fingerprint, or 0)
     * @param versions quality per version, in version order
     * @param missing  keys of blocks in {@code newer} with no copy in {@code apply}
     */
    record Read(List<ModelBlock> apply, List<ModelBlock> newer, TreeMap<Long, QualityGate.Quality> versions,
                Set<String> missing) {
    }

    /** Undecodable records go to {@code undecodable}: a scorer refuses them and goes on, an export stops. */
    private static Read readToEnd(KafkaConsumer<byte[], byte[]> consumer, String topic, String modelName,
                                  Duration timeout, java.util.function.Consumer<String> undecodable, long fingerprint,
                                  long limit) {
        TopicPartition tp = new TopicPartition(topic, 0);
        long end = consumer.endOffsets(List.of(tp)).get(tp);
        long deadline = System.nanoTime() + timeout.toNanos();
        // Until the cleaner has compacted it, the topic holds every checkpoint's copy of a block:
        // keeping only the newest of each bounds memory by the model's size, not the topic's.
        Map<String, ModelBlock> newest = new java.util.LinkedHashMap<>();
        Map<String, ModelBlock> newer = new java.util.LinkedHashMap<>();
        TreeMap<Long, QualityGate.Quality> versions = new TreeMap<>();
        while (consumer.position(tp) < end) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("could not read model topic " + topic + " to its end (offset " + end
                        + ") within " + timeout + "; is the broker reachable?");
            }
            for (ModelBlock b : blocksOf(consumer.poll(Duration.ofMillis(200)), modelName, undecodable)) {
                String key = ModelBlocks.key(b.getModel(), b.getVariable(), b.getBlock());
                boolean own = ModelBlocks.writtenFor(b, fingerprint);
                if (own && b.getVersionBlocks() > 0) {
                    versions.put(b.getVersion(), VersionGate.quality(b));
                }
                if (b.getVersion() <= limit) {
                    // by fingerprint too: a foreign trainer's later copy must not hide the newest good one
                    newest.put(key + "#" + b.getFingerprint(), b);
                } else if (own) {
                    newer.put(key, b);
                }
            }
        }
        Set<String> held = new java.util.HashSet<>();
        newest.values().stream().filter(b -> ModelBlocks.writtenFor(b, fingerprint))
                .forEach(b -> held.add(ModelBlocks.key(b.getModel(), b.getVariable(), b.getBlock())));
        Set<String> missing = new java.util.TreeSet<>(newer.keySet());
        missing.removeAll(held);
        return new Read(List.copyOf(newest.values()), List.copyOf(newer.values()), versions, missing);
    }

    private void follow() {
        try {
            while (running) {
                try {
                    List<ModelBlock> ready = gate.offer(blocksOf(consumer.poll(Duration.ofMillis(500)), modelName,
                            replica::refuseUndecodable));
                    if (!ready.isEmpty()) {
                        // one version (with the held blocks of rejected ones before it) under one write lock
                        replica.apply(ready);
                    }
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
