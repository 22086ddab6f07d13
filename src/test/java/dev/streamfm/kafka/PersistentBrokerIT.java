package dev.streamfm.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The `broker` command's broker: its data directory keeps topics and records across a restart. */
class PersistentBrokerIT {

    @TempDir
    Path dir;

    @Test
    void topicsAndRecordsSurviveARestart() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        int controllerPort;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startPersistent(dir, "127.0.0.1", port)) {
            assertEquals("127.0.0.1:" + port, broker.bootstrapServers());
            controllerPort = broker.controllerPort();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic("kept", 1, (short) 1))).all().get();
            }
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                    new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("kept", "k", "before the restart")).get();
            }
        }
        assertTrue(Files.isDirectory(dir.resolve("kraft-logs")), "close() keeps a persistent broker's data");

        try (EmbeddedKafkaBroker again = EmbeddedKafkaBroker.startPersistent(dir, "127.0.0.1", port)) {
            assertEquals(controllerPort, again.controllerPort(), "the controller keeps the port its quorum recorded");
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", again.bootstrapServers()))) {
                assertTrue(admin.listTopics().names().get().contains("kept"));
            }
            TopicPartition tp = new TopicPartition("kept", 0);
            List<String> values = new ArrayList<>();
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, again.bootstrapServers()),
                    new StringDeserializer(), new StringDeserializer())) {
                consumer.assign(Set.of(tp));
                consumer.seekToBeginning(Set.of(tp));
                while (consumer.position(tp) < consumer.endOffsets(Set.of(tp)).get(tp)) {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                        values.add(r.value());
                    }
                }
            }
            assertEquals(List.of("before the restart"), values);
        }
    }
}
