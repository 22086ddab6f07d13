package dev.streamfm.bench;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;

import java.util.List;
import java.util.Map;

/**
 * Figures read from the service's own metrics registry, the one Prometheus scrapes, so the
 * benchmark reports what an operator's dashboard would show.
 */
final class RegistryReadings {

    private final PrometheusRegistry registry;

    RegistryReadings(PrometheusRegistry registry) {
        this.registry = registry;
    }

    /** Sum of a counter's series whose labels include {@code labels}; 0 before the first increment. */
    double counter(String name, Map<String, String> labels) {
        return named(name).stream()
                .filter(CounterSnapshot.class::isInstance)
                .flatMap(m -> ((CounterSnapshot) m).getDataPoints().stream())
                .filter(dp -> includes(dp.getLabels(), labels))
                .mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue)
                .sum();
    }

    /**
     * The upper bound of the classic-histogram bucket that holds quantile q over the series whose
     * labels include {@code labels} (buckets are coarse, so this is "at most"); NaN without observations.
     */
    double quantileBound(String name, Map<String, String> labels, double q) {
        double[] bounds = null;
        long[] counts = null;
        for (MetricSnapshot m : named(name)) {
            if (!(m instanceof HistogramSnapshot h)) {
                continue;
            }
            for (var dp : h.getDataPoints()) {
                if (!includes(dp.getLabels(), labels)) {
                    continue;
                }
                ClassicHistogramBuckets b = dp.getClassicBuckets();
                if (bounds == null) {
                    bounds = new double[b.size()];
                    counts = new long[b.size()];
                }
                for (int i = 0; i < b.size(); i++) {
                    bounds[i] = b.getUpperBound(i);
                    counts[i] += b.getCount(i);
                }
            }
        }
        if (counts == null) {
            return Double.NaN;
        }
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (total > 0 && seen >= q * total) {
                return bounds[i];
            }
        }
        return Double.NaN;
    }

    /** @param name the Prometheus name without the _total suffix of counters */
    private List<MetricSnapshot> named(String name) {
        // Only the named collectors: the trainer phase reads a counter every few milliseconds.
        return registry.scrape(name::equals).stream().toList();
    }

    private static boolean includes(Labels have, Map<String, String> want) {
        return want.entrySet().stream().allMatch(e -> e.getValue().equals(have.get(e.getKey())));
    }
}
