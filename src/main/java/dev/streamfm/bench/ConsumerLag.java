package dev.streamfm.bench;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Consumer lag of every consumer group whose id starts with an application-id prefix: records in
 * the group's input partitions (up to the last stable offset) that it has not committed yet. It
 * finds the groups by listing them, so it measures whatever applications the service runs.
 */
final class ConsumerLag {

    private ConsumerLag() {
    }

    /** Lag by group, the prefix and its separator removed ("scorer", "trainer", ...). */
    static Map<String, Long> byGroup(Admin admin, String prefix) {
        try {
            Map<String, Long> lag = new TreeMap<>();
            for (GroupListing g : admin.listGroups().all().get(10, TimeUnit.SECONDS)) {
                if (g.groupId().startsWith(prefix + "-")) {
                    lag.put(g.groupId().substring(prefix.length() + 1), lagOf(admin, g.groupId()));
                }
            }
            return lag;
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read consumer lag: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading consumer lag", e);
        }
    }

    /**
     * Over the partitions the group has committed or is assigned; a partition without a commit
     * yet counts from offset 0, which is its start on the benchmark's fresh topics.
     */
    private static long lagOf(Admin admin, String group)
            throws ExecutionException, InterruptedException, TimeoutException {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        Set<TopicPartition> partitions = new HashSet<>(committed.keySet());
        admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get(10, TimeUnit.SECONDS)
                .members().forEach(m -> partitions.addAll(m.assignment().topicPartitions()));
        if (partitions.isEmpty()) {
            return 0;
        }
        Map<TopicPartition, OffsetSpec> latest = partitions.stream()
                .collect(Collectors.toMap(Function.identity(), tp -> OffsetSpec.latest()));
        var ends = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                .get(10, TimeUnit.SECONDS);
        long lag = 0;
        for (TopicPartition tp : partitions) {
            OffsetAndMetadata c = committed.get(tp);
            lag += Math.max(0, ends.get(tp).offset() - (c == null ? 0 : c.offset()));
        }
        return lag;
    }
}
