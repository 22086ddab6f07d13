package dev.streamfm.stream;

import dev.streamfm.stream.serde.AvroSerde;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.Map;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

/** What the service-level tests send with and read from the service's metrics registry. */
final class ServiceReadings {

    private ServiceReadings() {
    }

    static <V extends org.apache.avro.specific.SpecificRecord> KafkaProducer<String, V> producer(
            String bootstrap, Class<V> type) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(), AvroSerde.of(type).serializer());
    }

    /** The sum of a counter over all its series. */
    static double counter(PrometheusRegistry r, String name) {
        return counter(r, name, d -> true);
    }

    /** The sum of a counter over the series whose label has the given value. */
    static double counter(PrometheusRegistry r, String name, String label, String value) {
        return counter(r, name, d -> value.equals(d.getLabels().get(label)));
    }

    private static double counter(PrometheusRegistry r, String name,
                                  Predicate<CounterSnapshot.CounterDataPointSnapshot> series) {
        return value(r, name, m -> m instanceof CounterSnapshot c ? c.getDataPoints().stream().filter(series)
                .mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue).sum() : 0);
    }

    /** An online-metric gauge of one source (trainer, served). */
    static double gauge(PrometheusRegistry r, String name, String source) {
        return value(r, name, m -> ((GaugeSnapshot) m).getDataPoints().stream()
                .filter(d -> source.equals(d.getLabels().get("source")))
                .mapToDouble(GaugeSnapshot.GaugeDataPointSnapshot::getValue).findFirst().orElse(Double.NaN));
    }

    private static double value(PrometheusRegistry r, String name, ToDoubleFunction<MetricSnapshot> f) {
        for (MetricSnapshot m : r.scrape()) {
            if (m.getMetadata().getPrometheusName().equals(name)) {
                return f.applyAsDouble(m);
            }
        }
        return Double.NaN;
    }
}
