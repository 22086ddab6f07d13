package dev.streamfm.stream;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** Reads a whole topic from the beginning, with a chosen isolation level, and keeps up with it. */
final class TopicTail<V> implements AutoCloseable {

    private final KafkaConsumer<String, V> consumer;
    private final List<ConsumerRecord<String, V>> records = new ArrayList<>();

    TopicTail(String bootstrap, String topic, Deserializer<V> values, boolean readCommitted) {
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, readCommitted ? "read_committed" : "read_uncommitted",
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024),
                new StringDeserializer(), values);
        List<TopicPartition> parts = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
    }

    /** Polls what has arrived since the last call. */
    List<ConsumerRecord<String, V>> poll() {
        for (ConsumerRecord<String, V> r : consumer.poll(Duration.ofMillis(200))) {
            records.add(r);
        }
        return records;
    }

    /** Polls until the condition holds or the timeout passes; returns whether it held. */
    boolean pollUntil(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            poll();
            if (condition.getAsBoolean()) {
                return true;
            }
        }
        return false;
    }

    /** Polls until every partition's position reached the end it had when this was called. */
    List<ConsumerRecord<String, V>> pollToEnd() {
        Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
        while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
            poll();
        }
        return records;
    }

    List<ConsumerRecord<String, V>> records() {
        return records;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
