package dev.streamfm.stream;

import dev.streamfm.config.StreamfmConfig;
import dev.streamfm.config.Topics;
import dev.streamfm.kafka.EmbeddedKafkaBroker;
import dev.streamfm.metrics.StreamfmMetrics;
import dev.streamfm.schema.ClickEvent;
import dev.streamfm.schema.DeadLetter;
import dev.streamfm.schema.Label;
import dev.streamfm.schema.Prediction;
import dev.streamfm.stream.serde.AvroSerde;
import dev.streamfm.synth.SynthConfig;
import dev.streamfm.synth.SynthShape;
import dev.streamfm.synth.SyntheticGenerator;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile input on a real broker: 10,000 records generated from the schemas and mutated (random
 * bytes, truncation, trailing bytes, wrong types, huge and empty strings, NaN, nested junk, other
 * schemas, wrong keys and timestamps) mixed with 2,000 good events. Every bad record is in the
 * dead-letter topic with a reason, every good event has exactly one prediction, no stream thread
 * dies and the service stays ready.
 */
class InputFuzzIT {

    private static final int BAD = 10_000;
    private static final int GOOD = 2_000;

    @TempDir
    Path state;

    /** One way to make a bad record out of a good event; returns key, value and timestamp. */
    private record Mutation(String name, Function<ClickEvent, ProducerRecord<String, byte[]>> make) {
    }

    @Test
    void everyBadRecordIsDeadLetteredAndEveryGoodEventScoredOnce() throws Exception {
        SplittableRandom rnd = new SplittableRandom(12);
        AvroSerde<ClickEvent> avro = AvroSerde.of(ClickEvent.class);
        List<Mutation> mutations = mutations(rnd, avro);
        SyntheticGenerator gen = new SyntheticGenerator(SynthShape.FRAPPE_LIKE, SynthConfig.defaults(21));
        long now = System.currentTimeMillis();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            StreamfmConfig cfg = StreamfmConfig.load(null, Map.of(), Map.of(
                    "bootstrap.servers", broker.bootstrapServers(),
                    "streamfm.topic.partitions", "2",
                    "streamfm.model.type", "fm",
                    "streamfm.state.dir", state.toString()));
            Topics topics = cfg.topics();
            PrometheusRegistry registry = new PrometheusRegistry();
            try (StreamfmService service = StreamfmService.start(cfg, ServiceRole.SCORER, new StreamfmMetrics(registry));
                 KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                         ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                         ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(), new ByteArraySerializer());
                 TopicTail<Prediction> predictions = new TopicTail<>(broker.bootstrapServers(), topics.predictions(),
                         AvroSerde.of(Prediction.class).deserializer(), true);
                 TopicTail<DeadLetter> deadLetters = new TopicTail<>(broker.bootstrapServers(),
                         topics.deadLetters(), AvroSerde.of(DeadLetter.class).deserializer(), true)) {
                List<Future<RecordMetadata>> bad = new ArrayList<>();
                Map<String, Integer> perMutation = new HashMap<>();
                Set<String> good = new HashSet<>();
                int g = 0;
                for (int i = 0; i < BAD; i++) {
                    ClickEvent base = ClickEvent.newBuilder(gen.example(i).event()).setEventId("fuzz-" + i)
                            .setEventTime(Instant.ofEpochMilli(now + i)).build();
                    Mutation m = mutations.get(rnd.nextInt(mutations.size()));
                    ProducerRecord<String, byte[]> r = m.make().apply(base);
                    bad.add(producer.send(new ProducerRecord<>(topics.events(), null, r.timestamp(), r.key(),
                            r.value())));
                    perMutation.merge(m.name(), 1, Integer::sum);
                    if (i % (BAD / GOOD) == 0) {
                        ClickEvent e = ClickEvent.newBuilder(gen.example(BAD + g).event()).setEventId("good-" + g)
                                .setEventTime(Instant.ofEpochMilli(now + i)).build();
                        producer.send(new ProducerRecord<>(topics.events(), null, now + i, e.getEventId(),
                                avro.encode(e)));
                        good.add(e.getEventId());
                        g++;
                    }
                }
                producer.flush();
                Set<String> badOffsets = new HashSet<>();
                for (Future<RecordMetadata> f : bad) {
                    RecordMetadata md = f.get();
                    badOffsets.add(md.partition() + "@" + md.offset());
                }

                assertTrue(deadLetters.pollUntil(() -> deadLetters.records().size() >= BAD, Duration.ofSeconds(120)),
                        "dead letters: " + deadLetters.records().size() + " of " + BAD);
                assertTrue(predictions.pollUntil(() -> predictions.records().size() >= GOOD, Duration.ofSeconds(60)),
                        "predictions: " + predictions.records().size() + " of " + GOOD);
                predictions.pollUntil(() -> false, Duration.ofSeconds(2)); // nothing more may come

                Map<String, Long> reasons = deadLetters.records().stream().map(ConsumerRecord::value)
                        .collect(Collectors.groupingBy(DeadLetter::getReason, Collectors.counting()));
                System.out.println("fuzz: " + BAD + " bad records by mutation " + perMutation
                        + "; dead letters by reason " + reasons);
                Set<String> dlqOffsets = deadLetters.records().stream().map(ConsumerRecord::value)
                        .peek(d -> assertTrue(!d.getReason().isBlank() && !d.getErrorMessage().isBlank()))
                        .map(d -> d.getPartition() + "@" + d.getOffset()).collect(Collectors.toSet());
                assertEquals(BAD, deadLetters.records().size(), "one dead letter per bad record");
                assertEquals(badOffsets, dlqOffsets, "the dead letters are exactly the bad records");
                List<String> predicted = predictions.records().stream().map(r -> r.value().getEventId()).toList();
                assertEquals(GOOD, predicted.size(), "one prediction per good event");
                assertEquals(good, new HashSet<>(predicted), "predictions are of the good events only");
                assertEquals(0, service.threadFailures(), "stream threads that died");
                assertEquals(Map.of("streams_running", true, "model_loaded", true, "model_follower_alive", true),
                        service.readiness());
            }
        }
    }

    private static List<Mutation> mutations(SplittableRandom rnd, AvroSerde<ClickEvent> avro) {
        Function<String, byte[]> utf8 = s -> s.getBytes(StandardCharsets.UTF_8);
        List<Mutation> m = new ArrayList<>();
        m.add(new Mutation("random_bytes", e -> {
            byte[] b = new byte[1 + rnd.nextInt(300)];
            rnd.nextBytes(b);
            b[0] = (byte) (0x20 + rnd.nextInt(0x5b - 0x20)); // printable, never '{', 0xC3 or a BOM
            if (b[0] == ' ') {
                b[0] = 'x';
            }
            return record(e, b);
        }));
        m.add(new Mutation("empty", e -> record(e, new byte[0])));
        m.add(new Mutation("null", e -> record(e, null)));
        m.add(new Mutation("truncated_avro", e -> {
            byte[] b = avro.encode(e);
            return record(e, Arrays.copyOf(b, rnd.nextInt(b.length - 1) + 1));
        }));
        m.add(new Mutation("trailing_bytes", e -> {
            byte[] b = avro.encode(e);
            return record(e, Arrays.copyOf(b, b.length + 1 + rnd.nextInt(8)));
        }));
        m.add(new Mutation("truncated_json", e -> {
            String json = "{\"event_id\":\"" + e.getEventId() + "\",\"event_time\":" + e.getEventTime().toEpochMilli()
                    + ",\"categorical\":{\"f0\":\"v1\"}}";
            return record(e, utf8.apply(json.substring(0, 1 + rnd.nextInt(json.length() - 1))));
        }));
        m.add(new Mutation("wrong_type", e -> record(e, utf8.apply("{\"event_id\":\"" + e.getEventId()
                + "\",\"event_time\":\"yesterday\"}"))));
        m.add(new Mutation("nested_junk", e -> record(e, utf8.apply("{\"event_id\":\"" + e.getEventId()
                + "\",\"event_time\":" + e.getEventTime().toEpochMilli() + ",\"categorical\":{\"f0\":{\"a\":[1,{}]}}}"))));
        m.add(new Mutation("huge_string", e -> record(e, avro.encode(ClickEvent.newBuilder(e)
                .setCategorical(Map.of("f0", "x".repeat(1025 + rnd.nextInt(20_000)))).build()))));
        m.add(new Mutation("empty_id", e -> record(e, avro.encode(ClickEvent.newBuilder(e).setEventId("").build()))));
        m.add(new Mutation("nan", e -> record(e, avro.encode(ClickEvent.newBuilder(e)
                .setNumeric(Map.of("f2", rnd.nextBoolean() ? Double.NaN : Double.POSITIVE_INFINITY)).build()))));
        m.add(new Mutation("bad_label", e -> record(e, avro.encode(ClickEvent.newBuilder(e).setLabel(7).build()))));
        m.add(new Mutation("other_schema", e -> record(e, AvroSerde.of(Label.class).encode(
                new Label(e.getEventId(), e.getEventTime(), 1)))));
        m.add(new Mutation("unknown_field", e -> record(e, utf8.apply("{\"event_id\":\"" + e.getEventId()
                + "\",\"event_time\":" + e.getEventTime().toEpochMilli() + ",\"colour\":\"red\"}"))));
        m.add(new Mutation("wrong_key", e -> new ProducerRecord<>("t", null, e.getEventTime().toEpochMilli(),
                rnd.nextBoolean() ? null : "not-" + e.getEventId(), avro.encode(e))));
        // Far-future timestamps are refused by the broker itself (log.message.timestamp.after.max.ms,
        // 1 h by default); ScorerTopologyTest covers them for brokers that take them.
        m.add(new Mutation("far_past_timestamp", e -> new ProducerRecord<>("t", null, (long) rnd.nextInt(1_000_000),
                e.getEventId(), avro.encode(e))));
        return m;
    }

    private static ProducerRecord<String, byte[]> record(ClickEvent e, byte[] value) {
        return new ProducerRecord<>("t", null, e.getEventTime().toEpochMilli(), e.getEventId(), value);
    }
}
