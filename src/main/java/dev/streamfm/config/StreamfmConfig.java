package dev.streamfm.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The one validated configuration of the service. Sources, later ones win: defaults
 * ({@link Settings}), a properties file, environment variables, command-line flags.
 * Keys starting with "streamfm." are StreamFM settings; every other key in the file (and
 * STREAMFM_KAFKA_* variables) passes through to the Kafka clients and Kafka Streams, so
 * security.protocol, sasl.*, ssl.* and the like configure a secured cluster.
 */
public final class StreamfmConfig {

    public static final String KAFKA_ENV_PREFIX = "STREAMFM_KAFKA_";
    private static final Pattern SECRET = Pattern.compile("(?i).*(password|secret|jaas|credential|token|key\\.pem).*");

    private final Map<String, String> settings;
    private final Map<String, String> kafka;

    private StreamfmConfig(Map<String, String> settings, Map<String, String> kafka) {
        this.settings = Map.copyOf(settings);
        this.kafka = Map.copyOf(kafka);
    }

    /**
     * Resolves and validates the configuration.
     *
     * @param file      properties file, or null
     * @param env       environment variables (System.getenv() in production)
     * @param overrides values from flags, StreamFM keys or Kafka keys
     * @throws ConfigException naming the key, the bad value and what is expected
     */
    public static StreamfmConfig load(Path file, Map<String, String> env, Map<String, String> overrides) {
        Map<String, String> s = new HashMap<>();
        Map<String, String> k = new HashMap<>();
        for (Setting setting : Settings.ALL) {
            s.put(setting.key(), setting.defaultValue());
        }
        if (file != null) {
            Properties p = readFile(file);
            for (String key : p.stringPropertyNames()) {
                put(key, p.getProperty(key), s, k, "file " + file);
            }
        }
        for (Setting setting : Settings.ALL) {
            String v = env.get(setting.envName());
            if (v != null) {
                s.put(setting.key(), v);
            }
        }
        env.forEach((name, value) -> {
            if (name.startsWith(KAFKA_ENV_PREFIX)) {
                k.put(name.substring(KAFKA_ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.'), value);
            }
        });
        overrides.forEach((key, value) -> put(key, value, s, k, "flag"));
        List<String> problems = new ArrayList<>();
        for (Setting setting : Settings.ALL) {
            String v = s.get(setting.key()).trim();
            if (setting.valid().test(v)) {
                s.put(setting.key(), setting.canonical().apply(v));
            } else {
                problems.add(setting.key() + "=" + v + " is invalid: expected " + setting.expected()
                        + " (env " + setting.envName() + ")");
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(String.join("; ", problems));
        }
        return new StreamfmConfig(s, k);
    }

    private static void put(String key, String value, Map<String, String> s, Map<String, String> k, String source) {
        if (key.startsWith("streamfm.")) {
            if (!s.containsKey(key)) {
                throw new ConfigException("unknown setting " + key + " in " + source + "; known settings: "
                        + Settings.ALL.stream().map(Setting::key).toList());
            }
            s.put(key, value);
        } else {
            k.put(key, value);
        }
    }

    private static Properties readFile(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (NoSuchFileException e) {
            throw new ConfigException("config file " + file + " does not exist");
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
        }
        return p;
    }

    public String get(Setting s) {
        return settings.get(s.key());
    }

    public int getInt(Setting s) {
        return Integer.parseInt(get(s));
    }

    public long getLong(Setting s) {
        return Long.parseLong(get(s));
    }

    public double getDouble(Setting s) {
        return Double.parseDouble(get(s));
    }

    public boolean getBoolean(Setting s) {
        return Boolean.parseBoolean(get(s));
    }

    public List<Integer> getIntList(Setting s) {
        String v = get(s);
        return v.isBlank() ? List.of() : Arrays.stream(v.split(",")).map(String::trim).map(Integer::valueOf).toList();
    }

    /** Kafka client and Streams properties passed through from the file, environment and flags. */
    public Map<String, String> kafkaProperties() {
        return kafka;
    }

    public String bootstrapServers() {
        String b = kafka.get("bootstrap.servers");
        if (b == null || b.isBlank()) {
            throw new ConfigException("bootstrap.servers is not set: pass --bootstrap-servers, set it in the config "
                    + "file or in STREAMFM_KAFKA_BOOTSTRAP_SERVERS");
        }
        return b;
    }

    /** Under exactly-once output is visible at commits and state commits with the input offsets. */
    public boolean exactlyOnce() {
        return get(Settings.GUARANTEE).startsWith("exactly_once");
    }

    public Topics topics() {
        return new Topics(get(Settings.TOPIC_PREFIX));
    }

    /** A copy with more overrides applied (tests and demo). */
    public StreamfmConfig with(Map<String, String> overrides) {
        Map<String, String> merged = new HashMap<>(settings);
        Map<String, String> kafkaMerged = new HashMap<>(kafka);
        overrides.forEach((key, value) -> put(key, value, merged, kafkaMerged, "override"));
        Map<String, String> all = new HashMap<>(merged);
        all.putAll(kafkaMerged);
        return load(null, Map.of(), all);
    }

    /** All values, secrets masked, for the start-up log. */
    public String describe() {
        Map<String, String> shown = new TreeMap<>(settings);
        kafka.forEach((key, v) -> shown.put(key, SECRET.matcher(key).matches() ? "******" : v));
        StringBuilder sb = new StringBuilder();
        shown.forEach((key, v) -> sb.append(sb.isEmpty() ? "" : ", ").append(key).append('=').append(v));
        return sb.toString();
    }

    @Override
    public String toString() {
        return describe();
    }

    /**
     * The settings for --help, by area: each key with its default and environment variable, its
     * description wrapped and indented under it, so no line is longer than width.
     */
    public static List<String> helpLines(int width) {
        List<String> lines = new ArrayList<>();
        for (SettingGroup g : Settings.GROUPS) {
            lines.add("");
            lines.add(g.title() + ":");
            for (Setting s : g.settings()) {
                lines.add("  " + s.key() + " = " + (s.defaultValue().isEmpty() ? "(empty)" : s.defaultValue()));
                wrap(s.doc() + " Env " + s.envName() + ".", "      ", width, lines);
            }
        }
        return lines;
    }

    private static void wrap(String text, String indent, int width, List<String> out) {
        StringBuilder line = new StringBuilder(indent);
        for (String word : text.split("\\s+")) {
            if (line.length() > indent.length() && line.length() + 1 + word.length() > width) {
                out.add(line.toString());
                line.setLength(0);
                line.append(indent);
            }
            line.append(line.length() > indent.length() ? " " : "").append(word);
        }
        out.add(line.toString());
    }
}
