package dev.streamfm.features;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts, per field name, what the batch builders saw of fields that the model ignores or
 * misses, for the metrics layer to export. Thread-safe; shared by all builders of a process.
 * Unknown names come from producers, so only the first {@link #MAX_UNKNOWN_NAMES} distinct ones
 * are kept apart (metric labels must stay few); the rest are counted under {@link #OTHER}.
 */
public final class FeatureStats {

    public static final int MAX_UNKNOWN_NAMES = 100;
    public static final String OTHER = "_other";

    private final ConcurrentHashMap<String, LongAdder> unknown = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LongAdder> missing = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LongAdder> truncated = new ConcurrentHashMap<>();

    /** An event carried a field that is not in the feature spec (it was ignored). */
    public void unknownField(String name) {
        LongAdder n = unknown.get(name);
        if (n == null) {
            // Racing threads may let the map overshoot the cap by a few names; that is harmless.
            n = unknown.computeIfAbsent(unknown.size() < MAX_UNKNOWN_NAMES ? name : OTHER, k -> new LongAdder());
        }
        n.increment();
    }

    /** An event lacked a spec field (or sent an empty list for a multi field): it got the missing row. */
    public void missingField(String name) {
        count(missing, name);
    }

    /** A multi field had more values than its max_values; the rest were dropped. */
    public void truncatedField(String name) {
        count(truncated, name);
    }

    public Map<String, Long> unknownFieldCounts() {
        return snapshot(unknown);
    }

    public Map<String, Long> missingFieldCounts() {
        return snapshot(missing);
    }

    public Map<String, Long> truncatedFieldCounts() {
        return snapshot(truncated);
    }

    private static void count(ConcurrentHashMap<String, LongAdder> counts, String name) {
        LongAdder n = counts.get(name);
        if (n == null) {
            n = counts.computeIfAbsent(name, k -> new LongAdder());
        }
        n.increment();
    }

    private static Map<String, Long> snapshot(ConcurrentHashMap<String, LongAdder> counts) {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
