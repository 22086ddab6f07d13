package dev.streamfm.bench;

import dev.streamfm.kafka.ReadCommittedConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Reads an output topic from the beginning as a downstream consumer would (read_committed, so
 * under exactly-once a record counts only once its transaction committed) and counts the
 * distinct keys it saw, which is how the benchmark knows every event got exactly one output.
 */
final class CommittedTail implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final Set<String> keys = new HashSet<>();
    private long records;

    CommittedTail(Map<String, Object> clientProps, String topic) {
        // Latency is measured at this consumer: do not let an idle fetch sit on the broker for 500 ms.
        consumer = new KafkaConsumer<>(ReadCommittedConsumer.properties(clientProps, 10), new StringDeserializer(),
                new ByteArrayDeserializer());
        List<TopicPartition> parts = consumer.partitionsFor(topic).stream()
                .map(i -> new TopicPartition(topic, i.partition())).toList();
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
    }

    /** Polls once (up to {@code wait}); {@code onRecord} gets each new record with its wall-clock receipt time. */
    void poll(Duration wait, BiConsumer<ConsumerRecord<String, byte[]>, Long> onRecord) {
        var batch = consumer.poll(wait);
        long receivedAt = System.currentTimeMillis();
        for (ConsumerRecord<String, byte[]> r : batch) {
            records++;
            keys.add(r.key());
            onRecord.accept(r, receivedAt);
        }
    }

    /** Polls once, counting only. */
    long pollDistinct(Duration wait) {
        poll(wait, (r, t) -> {
        });
        return distinct();
    }

    /** Polls once, counting every record: for outputs whose keys repeat (examples are keyed by model). */
    long pollRecords(Duration wait) {
        poll(wait, (r, t) -> {
        });
        return records;
    }

    long distinct() {
        return keys.size();
    }

    /** Records beyond one per key: more than one output for an event. */
    long duplicates() {
        return records - keys.size();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
