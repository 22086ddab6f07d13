package dev.streamfm.cli;

import dev.streamfm.config.StreamfmConfig;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The options every command that talks to Kafka shares. */
final class ServiceOptions {

    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file: streamfm.* settings and any Kafka client/Streams property "
                    + "(security.protocol, sasl.*, ssl.*, ...).")
    Path config;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT,...", description = "Kafka bootstrap servers.")
    String bootstrapServers;

    @Option(names = {"-s", "--set"}, paramLabel = "KEY=VALUE",
            description = "Override one setting, e.g. --set streamfm.scoring.batch.size=512 (repeatable).")
    Map<String, String> overrides = new LinkedHashMap<>();

    StreamfmConfig load(Map<String, String> more) {
        Map<String, String> all = new LinkedHashMap<>(overrides);
        all.putAll(more);
        if (bootstrapServers != null) {
            all.put("bootstrap.servers", bootstrapServers);
        }
        return StreamfmConfig.load(config, System.getenv(), all);
    }
}
