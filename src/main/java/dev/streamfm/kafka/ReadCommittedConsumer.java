package dev.streamfm.kafka;

import org.apache.kafka.clients.consumer.ConsumerConfig;

import java.util.HashMap;
import java.util.Map;

/**
 * Properties of a consumer that reads what transactions committed, from partitions it assigns
 * itself (no group, no committed offsets): the model follower and the benchmark's tail of a topic.
 */
public final class ReadCommittedConsumer {

    private ReadCommittedConsumer() {
    }

    /**
     * @param fetchMaxWaitMs how long the broker may hold an empty fetch: the reader's added latency
     */
    public static Map<String, Object> properties(Map<String, Object> clientProps, int fetchMaxWaitMs) {
        Map<String, Object> p = new HashMap<>(clientProps);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // Model blocks and batches of records can be larger than the 1 MB default.
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024);
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, fetchMaxWaitMs);
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        return p;
    }
}
