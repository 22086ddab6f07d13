package dev.streamfm.kafka;

import dev.streamfm.config.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Creates the topics (README, What runs) when they are missing and checks them when present:
 * events and labels must be co-partitioned (the label join needs it), the model topic must be
 * compacted (it holds the latest block of every variable), examples have one partition per
 * model so a single trainer sees them in order.
 */
public final class TopicAdmin {

    private static final Logger log = LoggerFactory.getLogger(TopicAdmin.class);

    /** What a topic must look like. */
    public record TopicSpec(String name, int partitions, Map<String, String> configs) {
    }

    private TopicAdmin() {
    }

    public static List<TopicSpec> required(Topics t, int partitions, int models) {
        Map<String, String> delete = Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE);
        return List.of(
                new TopicSpec(t.events(), partitions, delete),
                new TopicSpec(t.labels(), partitions, delete),
                new TopicSpec(t.predictions(), partitions, delete),
                // Examples carry their event's time, which may be long past in a replayed log: the
                // broker's append time keeps time retention from deleting them before they are trained.
                new TopicSpec(t.examples(), models, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG,
                        TopicConfig.CLEANUP_POLICY_DELETE, TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime")),
                new TopicSpec(t.model(), 1, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                        TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "16777216")),
                new TopicSpec(t.deadLetters(), partitions, delete));
    }

    /**
     * Creates missing topics, then checks every topic.
     *
     * @throws IllegalStateException when an existing topic cannot work (labels not co-partitioned
     *                               with events, model topic not compacted), naming the fix
     */
    public static void ensure(Admin admin, Collection<TopicSpec> specs, short replication) {
        try {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (TopicSpec s : specs) {
                if (!existing.contains(s.name())) {
                    missing.add(new NewTopic(s.name(), s.partitions(), replication).configs(s.configs()));
                }
            }
            if (!missing.isEmpty()) {
                try {
                    admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
                log.info("Created topics {}", missing.stream().map(NewTopic::name).toList());
            }
            checkWhenVisible(admin, specs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot create or describe topics: " + e.getMessage(), e);
        }
    }

    /** New topics take a moment to reach the broker's metadata; describing them earlier fails. */
    private static void checkWhenVisible(Admin admin, Collection<TopicSpec> specs)
            throws InterruptedException, ExecutionException, java.util.concurrent.TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                check(admin, specs);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)
                        || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    private static void check(Admin admin, Collection<TopicSpec> specs)
            throws InterruptedException, ExecutionException, java.util.concurrent.TimeoutException {
        Map<String, TopicDescription> described = admin.describeTopics(
                specs.stream().map(TopicSpec::name).toList()).allTopicNames().get(30, TimeUnit.SECONDS);
        List<ConfigResource> resources = specs.stream()
                .map(s -> new ConfigResource(ConfigResource.Type.TOPIC, s.name())).toList();
        Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get(30, TimeUnit.SECONDS);
        List<String> errors = new ArrayList<>();
        int eventPartitions = -1;
        int labelPartitions = -1;
        for (TopicSpec s : specs) {
            int actual = described.get(s.name()).partitions().size();
            if (s.name().endsWith(".events")) {
                eventPartitions = actual;
            } else if (s.name().endsWith(".labels")) {
                labelPartitions = actual;
            }
            if (actual != s.partitions()) {
                log.warn("Topic {} has {} partitions where {} are configured; the service uses it as it is "
                        + "(set streamfm.topic.partitions={} to silence this)", s.name(), actual, s.partitions(), actual);
            }
            String wanted = s.configs().get(TopicConfig.CLEANUP_POLICY_CONFIG);
            ConfigEntry policy = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, s.name()))
                    .get(TopicConfig.CLEANUP_POLICY_CONFIG);
            if (TopicConfig.CLEANUP_POLICY_COMPACT.equals(wanted)
                    && (policy == null || !policy.value().contains(TopicConfig.CLEANUP_POLICY_COMPACT))) {
                errors.add("topic " + s.name() + " must have cleanup.policy=compact (it keeps the latest block of "
                        + "every model variable), found " + (policy == null ? "none" : policy.value())
                        + "; fix: kafka-configs.sh --alter --entity-type topics --entity-name " + s.name()
                        + " --add-config cleanup.policy=compact");
            }
        }
        if (eventPartitions > 0 && labelPartitions > 0 && eventPartitions != labelPartitions) {
            errors.add("events have " + eventPartitions + " partitions and labels " + labelPartitions
                    + "; the label join needs them co-partitioned: give both the same number of partitions");
        }
        if (!errors.isEmpty()) {
            throw new IllegalStateException(errors.stream().collect(Collectors.joining("; ")));
        }
    }
}
