package dev.streamfm.bench;

import dev.streamfm.config.Settings;
import dev.streamfm.config.StreamfmConfig;
import dev.streamfm.kafka.TopicAdmin;
import org.apache.kafka.clients.admin.Admin;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What every phase of one run shares: the configuration, a run id and a scratch directory. Each
 * phase gets its own topic prefix, application id and state directory, so no phase reads another's
 * records, offsets or state.
 */
record BenchRun(StreamfmConfig base, String id, Path workDir, ProgressLine progress) {

    /** A run of its own for the untimed warm-up: its own topics, application ids and state. */
    BenchRun warmUp() {
        return new BenchRun(base, id + "-warm-up", workDir.resolve("warm-up"), progress);
    }

    /** The phase's configuration on {@code bootstrapServers}, with {@code overrides} applied. */
    StreamfmConfig phase(String name, String bootstrapServers, Map<String, String> overrides) {
        String prefix = "bench-" + id + "-" + name;
        Map<String, String> o = new HashMap<>(overrides);
        o.put("bootstrap.servers", bootstrapServers);
        o.put(Settings.TOPIC_PREFIX.key(), prefix);
        o.put(Settings.APPLICATION_ID.key(), prefix);
        o.put(Settings.STATE_DIR.key(), workDir.resolve(name).toString());
        return base.with(o);
    }

    /** Plain Kafka client properties of a phase (its pass-through Kafka settings). */
    static Map<String, Object> clients(StreamfmConfig cfg) {
        return new HashMap<>(cfg.kafkaProperties());
    }

    /** Creates the service's topics, and any extra ones with the events' partitions, before a backlog is written. */
    static void createTopics(StreamfmConfig cfg, String... extra) {
        int partitions = cfg.getInt(Settings.PARTITIONS);
        List<TopicAdmin.TopicSpec> specs = new ArrayList<>(TopicAdmin.required(cfg.topics(), partitions, 1));
        for (String topic : extra) {
            specs.add(new TopicAdmin.TopicSpec(topic, partitions, Map.of()));
        }
        try (Admin admin = Admin.create(clients(cfg))) {
            TopicAdmin.ensure(admin, specs, (short) cfg.getInt(Settings.REPLICATION));
        }
    }
}
