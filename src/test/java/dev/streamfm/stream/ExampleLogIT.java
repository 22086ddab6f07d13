package dev.streamfm.stream;

import dev.streamfm.kafka.EmbeddedKafkaBroker;
import dev.streamfm.schema.LabeledExample;
import dev.streamfm.stream.serde.AvroSerde;
import dev.streamfm.synth.SynthConfig;
import dev.streamfm.synth.SynthShape;
import dev.streamfm.synth.SyntheticExample;
import dev.streamfm.synth.SyntheticGenerator;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The trainer's replay source on a real broker: ranges of offsets give back exactly the examples
 * written there, in order, across transaction markers, without the records the decoder rejects;
 * an offset that retention deleted stops the restore with an error that says so.
 */
class ExampleLogIT {

    private static final AvroSerde<LabeledExample> SERDE = AvroSerde.of(LabeledExample.class);
    private static final String TOPIC = "replay.examples";

    @Test
    void readsBackTheValidExamplesOfEachRangeAndRefusesDeletedOffsets() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            Map<String, Object> client = Map.of("bootstrap.servers", broker.bootstrapServers());
            try (Admin admin = Admin.create(client)) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
            }
            SyntheticGenerator gen = new SyntheticGenerator(SynthShape.FRAPPE_LIKE, SynthConfig.defaults(3));
            List<String> ids = new ArrayList<>();
            List<Long> offsets = new ArrayList<>();
            // Two transactions of five records; the fourth of each is no example.
            try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                    ProducerConfig.TRANSACTIONAL_ID_CONFIG, "example-log-it"),
                    new ByteArraySerializer(), new ByteArraySerializer())) {
                p.initTransactions();
                for (int t = 0; t < 2; t++) {
                    p.beginTransaction();
                    for (int i = 0; i < 5; i++) {
                        byte[] value;
                        if (i == 3) {
                            value = new byte[] {1, 2, 3};
                            ids.add(null);
                        } else {
                            SyntheticExample ex = gen.example(t * 5 + i);
                            value = SERDE.encode(LabeledExample.newBuilder().setEvent(ex.event())
                                    .setLabel(ex.label()).setLabeledAt(Instant.ofEpochMilli(0)).build());
                            ids.add(ex.event().getEventId());
                        }
                        offsets.add(p.send(new ProducerRecord<>(TOPIC, value)).get().offset());
                    }
                    p.commitTransaction();
                }
            }
            long end = offsets.get(9) + 1;
            try (ExampleLog log = new ExampleLog(client, TOPIC, 0, SERDE::decode)) {
                assertEquals(ids.subList(0, 3), eventIds(log.read(offsets.get(0), offsets.get(3))));
                assertEquals(List.of(ids.get(4), ids.get(5), ids.get(6)),
                        eventIds(log.read(offsets.get(3), offsets.get(7))), "across a transaction marker");
                assertEquals(List.of(ids.get(7), ids.get(9)), eventIds(log.read(offsets.get(7), end)));
                assertEquals(List.of(ids.get(1), ids.get(2)), eventIds(log.read(offsets.get(1), offsets.get(3))),
                        "an earlier start seeks back");
                assertEquals(List.of(), log.read(end, end));
            }

            try (Admin admin = Admin.create(client)) {
                admin.deleteRecords(Map.of(new TopicPartition(TOPIC, 0), RecordsToDelete.beforeOffset(offsets.get(5))))
                        .all().get();
            }
            try (ExampleLog log = new ExampleLog(client, TOPIC, 0, SERDE::decode)) {
                IllegalStateException e = assertThrows(IllegalStateException.class,
                        () -> log.read(offsets.get(0), end));
                assertTrue(e.getMessage().contains("retention deleted them"), e.getMessage());
                assertEquals(List.of(ids.get(5), ids.get(6)), eventIds(log.read(offsets.get(5), offsets.get(7))),
                        "what retention kept still reads");
            }
        }
    }

    private static List<String> eventIds(List<LabeledExample> examples) {
        return examples.stream().map(e -> e.getEvent().getEventId()).toList();
    }
}
