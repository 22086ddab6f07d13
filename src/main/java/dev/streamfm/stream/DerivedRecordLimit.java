package dev.streamfm.stream;

import dev.streamfm.config.ConfigException;
import dev.streamfm.features.Limits;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Refuses to score when a valid input record could derive a record (its example, its entry in the
 * attribution store's changelog) that the broker or the service's producer would refuse. Under
 * exactly-once such a send poisons the open transaction: the production exception handler can
 * drop the record, but the commit still fails and the task retries the same input forever
 * (measured, README, Dead letters). So the input limit must leave room, and this is checked
 * once at start against what the cluster really accepts.
 */
final class DerivedRecordLimit {

    private DerivedRecordLimit() {
    }

    /**
     * What a derived record may add to its input: the example's label and times, the store's
     * score and time-first key with the event id (UTF-8, at most 4 bytes a char), and Kafka's
     * record and batch headers.
     */
    static long overhead(Limits limits) {
        return 4096 + 4L * limits.maxStringLength();
    }

    static void check(Admin admin, Limits limits, Properties streams, List<String> derivedTopics) {
        long needed = (long) limits.maxRecordBytes() + overhead(limits);
        long broker = brokerLimit(admin, derivedTopics);
        long producer = producerLimit(streams);
        if (needed > Math.min(broker, producer)) {
            throw new ConfigException("limits.max_record_bytes = " + limits.maxRecordBytes() + " admits input records "
                    + "whose examples and store entries (up to " + needed + " bytes) the "
                    + (broker <= producer ? "broker does not accept (message.max.bytes / max.message.bytes = "
                    + broker + ")" : "producer does not send (max.request.size = " + producer + ")")
                    + "; lower limits.max_record_bytes in the feature spec to at most "
                    + (Math.min(broker, producer) - overhead(limits)) + ", or raise the limit");
        }
    }

    private static long producerLimit(Properties streams) {
        Object v = streams.getOrDefault(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG),
                streams.getOrDefault(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1024 * 1024));
        return Long.parseLong(v.toString().trim());
    }

    /** The smallest of the topics' max.message.bytes, which default to the broker's message.max.bytes. */
    private static long brokerLimit(Admin admin, List<String> topics) {
        List<ConfigResource> resources = topics.stream()
                .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
        try {
            Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get(30, TimeUnit.SECONDS);
            long min = Long.MAX_VALUE;
            for (Config c : configs.values()) {
                ConfigEntry e = c.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
                if (e != null && e.value() != null) {
                    min = Math.min(min, Long.parseLong(e.value()));
                }
            }
            return min;
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not read the message size limits of " + topics + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading topic configs", e);
        }
    }
}
