package dev.streamfm.stream;

import dev.streamfm.kafka.ReadCommittedConsumer;
import dev.streamfm.rejection.RecordRejectedException;
import dev.streamfm.schema.LabeledExample;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * The examples a trainer received since its last checkpoint, read back from the examples topic
 * itself (architecture.md, section 4): the topic already holds them, in order, so the trainer
 * logs only offsets, not a second copy of every example. Records the trainer's decoder rejected
 * then are rejected again now and skipped, as the decoder depends on nothing but the bytes.
 *
 * <p>Reads ranges in ascending order, each starting where the previous one ended; any other start
 * seeks.
 */
final class ExampleLog implements AutoCloseable {

    /** Opens the log of one partition of the examples topic. */
    @FunctionalInterface
    interface Opener {
        ExampleLog open(int partition);
    }

    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final TopicPartition partition;
    private final DecodeProcessor.Decoder<LabeledExample> decoder;
    private final Deque<ConsumerRecord<byte[], byte[]>> ahead = new ArrayDeque<>();
    private long next = -1;

    ExampleLog(Map<String, Object> clientProps, String topic, int partition,
               DecodeProcessor.Decoder<LabeledExample> decoder) {
        this.consumer = new KafkaConsumer<>(ReadCommittedConsumer.properties(clientProps, 50),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.partition = new TopicPartition(topic, partition);
        this.decoder = decoder;
        consumer.assign(List.of(this.partition));
    }

    /**
     * The valid examples at offsets {@code from} (inclusive) to {@code to} (exclusive).
     *
     * @throws IllegalStateException when the topic no longer holds {@code from} (retention deleted
     *                               it) or cannot be read up to {@code to}
     */
    List<LabeledExample> read(long from, long to) {
        List<LabeledExample> out = new ArrayList<>();
        if (from >= to) {
            return out;
        }
        if (from != next) {
            seek(from);
        }
        long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
        while (true) {
            while (!ahead.isEmpty() && ahead.peekFirst().offset() < to) {
                decodeInto(ahead.pollFirst(), out);
            }
            if (!ahead.isEmpty() || consumer.position(partition) >= to) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("could not read " + partition + " up to offset " + to + " within "
                        + READ_TIMEOUT.toSeconds() + " s to restore the trainer (read up to "
                        + consumer.position(partition) + "); is the broker reachable?");
            }
            consumer.poll(POLL).records(partition).forEach(ahead::addLast);
        }
        next = to;
        return out;
    }

    private void seek(long from) {
        long earliest = consumer.beginningOffsets(List.of(partition)).get(partition);
        if (earliest > from) {
            throw new IllegalStateException(partition + " starts at offset " + earliest + " but the trainer must "
                    + "replay it from offset " + from + " (its examples since the last checkpoint): retention "
                    + "deleted them. Give the examples topic a retention far longer than the trainer may be down, "
                    + "or reset the trainer (README, Exactly-once and crashes).");
        }
        consumer.seek(partition, from);
        ahead.clear();
    }

    private void decodeInto(ConsumerRecord<byte[], byte[]> record, List<LabeledExample> out) {
        try {
            out.add(decoder.decode(record.value()));
        } catch (RecordRejectedException e) {
            // Dead-lettered when it first arrived; it never reached the trainer then either.
        }
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
