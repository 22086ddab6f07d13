package dev.streamfm.stream;

import dev.streamfm.config.ModelSetup;
import dev.streamfm.config.StreamfmConfig;
import dev.streamfm.config.Topics;
import dev.streamfm.evaluation.LabeledEvent;
import dev.streamfm.evaluation.Metrics;
import dev.streamfm.evaluation.PrequentialEvaluator;
import dev.streamfm.kafka.EmbeddedKafkaBroker;
import dev.streamfm.kafka.TopicAdmin;
import dev.streamfm.metrics.StreamfmMetrics;
import dev.streamfm.model.Model;
import dev.streamfm.model.Models;
import dev.streamfm.schema.ClickEvent;
import dev.streamfm.schema.Label;
import dev.streamfm.schema.LabeledExample;
import dev.streamfm.schema.ModelBlock;
import dev.streamfm.schema.Prediction;
import dev.streamfm.stream.serde.AvroSerde;
import dev.streamfm.synth.SynthConfig;
import dev.streamfm.synth.SynthShape;
import dev.streamfm.synth.SyntheticExample;
import dev.streamfm.synth.SyntheticGenerator;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 100k synthetic events with delayed click labels through the real service on a real broker:
 * one prediction per event, every labeled event trained once, streaming learns as well as the
 * offline prequential pass, fresh models reach the scorer within 2 s, and a restarted scorer
 * starts from the newest model.
 */
class ServiceIT {

    private static final int EVENTS = 100_000;
    private static final int PARTITIONS = 2;
    // Events are 1 ms apart in event time, all on the broker before the service starts, so the
    // test runs in catch-up mode. Examples are released when their window closes, in event-time
    // order within a partition; the partitions' tasks interleave theirs, so the streaming AUC is
    // compared with the offline pass over the same examples in arrival order (and printed next
    // to the pass in event order).
    private static final long LABEL_DELAY_MS = 200;
    private static final int WINDOW_MS = 300;
    private static final int GRACE_MS = 3_000;
    private static final int SCORING_BATCH = 64;

    @TempDir
    Path state;


    @Test
    void serviceScoresLabelsAndLearnsLikeTheOfflinePass() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            StreamfmConfig cfg = StreamfmConfig.load(null, Map.of(), Map.of(
                    "bootstrap.servers", broker.bootstrapServers(),
                    "streamfm.topic.partitions", Integer.toString(PARTITIONS),
                    "streamfm.labeling.window.ms", Integer.toString(WINDOW_MS),
                    "streamfm.labeling.grace.ms", Integer.toString(GRACE_MS),
                    "streamfm.scoring.batch.size", Integer.toString(SCORING_BATCH),
                    "streamfm.state.dir", state.toString()));
            Topics topics = cfg.topics();
            SyntheticGenerator gen = new SyntheticGenerator(SynthShape.FRAPPE_LIKE, SynthConfig.defaults(3));
            PrometheusRegistry registry = new PrometheusRegistry();
            long finalVersion;
            // Events and labels are all on the broker before the service starts, as when it catches
            // up on a backlog: the join must take every click, with labels read ahead of their
            // events. (Produced while the service runs, the labels' producer can fall seconds of
            // event time behind the events' one, which no grace of a synthetic stream covers.)
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                TopicAdmin.ensure(admin, TopicAdmin.required(topics, PARTITIONS, 1), (short) 1);
            }
            produce(broker.bootstrapServers(), topics, gen);
            try (StreamfmService service = StreamfmService.start(cfg, ServiceRole.ALL, new StreamfmMetrics(registry))) {
                long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
                while (ServiceReadings.counter(registry, "streamfm_examples_trained") < EVENTS && System.nanoTime() < deadline) {
                    Thread.sleep(500);
                }
                assertEquals(EVENTS, ServiceReadings.counter(registry, "streamfm_examples_trained"),
                        "examples trained: every event's window closed, so every event is labeled once");
                Thread.sleep(2 * 500 + 200); // the next checkpoint publishes the final figures

                assertEquals(0.0, ServiceReadings.counter(registry, "streamfm_dead_letters"), "dead letters, orphan labels included");
                List<LabeledExample> arrived = assertLabelsMatchTheGenerator(broker.bootstrapServers(), topics, gen);
                double streamingAuc = ServiceReadings.gauge(registry, "streamfm_online_auc", "trainer");
                int batch = cfg.getInt(dev.streamfm.config.Settings.TRAINING_BATCH);
                ModelSetup setup = ModelSetup.from(cfg);
                Metrics sameOrder = offlineLast20k(setup, batch, arrived.stream()
                        .map(e -> (LabeledEvent) new Arrived(e.getEvent(), e.getLabel())).iterator());
                Metrics eventOrder = offlineLast20k(setup, batch, gen.examples(0, EVENTS));
                System.out.printf("online AUC over the last 20k: streaming %.4f, offline in arrival order %.4f, "
                        + "offline in event order %.4f%n", streamingAuc, sameOrder.auc(), eventOrder.auc());
                assertTrue(streamingAuc >= sameOrder.auc() - 0.01, "streaming AUC over the last 20k " + streamingAuc
                        + " vs the offline pass over the same examples in the same order " + sameOrder.auc());

                HistogramSnapshot.HistogramDataPointSnapshot fresh = histogram(registry,
                        "streamfm_model_freshness_seconds");
                assertTrue(fresh.getCount() > 10, "model blocks applied by the scorer: " + fresh.getCount());
                // Catching up on a backlog keeps both cores busy scoring and training; a block can
                // then wait behind scoring batches and the trainer's commit. Live freshness is
                // measured by `bench pipeline`; here model sync must keep working under full load.
                long within2s = cumulativeCountAtMost(fresh, 2.0);
                assertTrue(within2s >= 0.8 * fresh.getCount(), "model blocks that reached the scorer within 2 s: "
                        + within2s + " of " + fresh.getCount());
                assertEquals(fresh.getCount(), cumulativeCountAtMost(fresh, 60.0), "blocks that took over 60 s");
                finalVersion = service.replica().version();
                assertTrue(finalVersion >= EVENTS / batch, "scorer replica version " + finalVersion);
            }
            try (TopicTail<Prediction> predictions = new TopicTail<>(broker.bootstrapServers(), topics.predictions(),
                    AvroSerde.of(Prediction.class).deserializer(), true)) {
                predictions.pollUntil(() -> predictions.records().size() >= EVENTS + PARTITIONS,
                        Duration.ofSeconds(30));
                Map<String, Integer> counts = new HashMap<>();
                for (ConsumerRecord<String, Prediction> r : predictions.records()) {
                    counts.merge(r.value().getEventId(), 1, Integer::sum);
                }
                assertEquals(EVENTS + PARTITIONS, counts.size(), "events with a prediction (incl. window closers)");
                counts.forEach((id, n) -> assertEquals(1, n, "predictions of " + id));
            }
            assertRestartedScorerUsesNewestModel(broker, cfg, topics, gen);
        }
    }

    /** An example as the trainer received it. */
    private record Arrived(ClickEvent event, int label) implements LabeledEvent {
    }

    private static Metrics offlineLast20k(ModelSetup setup, int batch, java.util.Iterator<? extends LabeledEvent> stream) {
        try (Model model = Models.create(setup.modelConfig(), setup.spec().layout())) {
            return new PrequentialEvaluator(model, setup.spec(), batch).train(stream, n -> { }).scores().last(20_000);
        }
    }

    /** Each event became exactly one example, labeled with the click the generator drew for it; returns them in arrival order. */
    private static List<LabeledExample> assertLabelsMatchTheGenerator(String bootstrap, Topics topics, SyntheticGenerator gen) {
        try (TopicTail<LabeledExample> examples = new TopicTail<>(bootstrap, topics.examples(),
                AvroSerde.of(LabeledExample.class).deserializer(), true)) {
            examples.pollUntil(() -> examples.records().size() >= EVENTS, Duration.ofSeconds(30));
            Map<String, Integer> labels = new HashMap<>();
            int[] wrong = new int[2];
            for (ConsumerRecord<String, LabeledExample> r : examples.records()) {
                String id = r.value().getEvent().getEventId();
                assertEquals(null, labels.put(id, r.value().getLabel()), "second example for " + id);
                int index = Integer.parseInt(id.substring(id.lastIndexOf('-') + 1));
                int truth = gen.example(index).label();
                if (truth != r.value().getLabel()) {
                    wrong[truth]++;
                }
            }
            java.util.List<Integer> missing = new java.util.ArrayList<>();
            for (int i = 0; i < EVENTS && missing.size() < 20; i++) {
                if (!labels.containsKey(gen.example(i).event().getEventId())) {
                    missing.add(i);
                }
            }
            assertEquals(0, wrong[0] + wrong[1], "examples with the wrong label (true 0 labeled 1: " + wrong[0]
                    + ", true 1 labeled 0: " + wrong[1] + "); events without an example: "
                    + (EVENTS - labels.size()) + " e.g. " + missing);
            assertEquals(EVENTS, labels.size(), "events that became examples, e.g. missing " + missing);
            return examples.records().stream().map(ConsumerRecord::value).toList();
        }
    }

    /** A scorer started after training scores its first event with the newest published model. */
    private void assertRestartedScorerUsesNewestModel(EmbeddedKafkaBroker broker, StreamfmConfig cfg, Topics topics,
                                                      SyntheticGenerator gen) throws Exception {
        long newest;
        try (TopicTail<ModelBlock> model = new TopicTail<>(broker.bootstrapServers(), topics.model(),
                AvroSerde.of(ModelBlock.class).deserializer(), true)) {
            newest = model.pollToEnd().stream().mapToLong(r -> r.value().getVersion()).max().orElseThrow();
        }
        assertTrue(newest > 0, "a trained model was published");
        try (StreamfmService scorer = StreamfmService.start(cfg, ServiceRole.SCORER,
                new StreamfmMetrics(new PrometheusRegistry()));
             KafkaProducer<String, ClickEvent> events = ServiceReadings.producer(broker.bootstrapServers(), ClickEvent.class);
             TopicTail<Prediction> predictions = new TopicTail<>(broker.bootstrapServers(), topics.predictions(),
                     AvroSerde.of(Prediction.class).deserializer(), true)) {
            assertEquals(newest, scorer.replica().version(), "replica version right after start");
            ClickEvent e = ClickEvent.newBuilder(gen.example(EVENTS + 1_000).event()).setEventId("after-restart").build();
            events.send(new ProducerRecord<>(topics.events(), null, e.getEventTime().toEpochMilli(), e.getEventId(),
                    e));
            events.flush();
            assertTrue(predictions.pollUntil(() -> predictions.records().stream()
                    .anyMatch(r -> r.value().getEventId().equals("after-restart")), Duration.ofSeconds(60)));
            Prediction p = predictions.records().stream().map(ConsumerRecord::value)
                    .filter(v -> v.getEventId().equals("after-restart")).findFirst().orElseThrow();
            assertEquals(newest, p.getModelVersion(), "model version of the restarted scorer's first prediction");
        }
    }

    /**
     * Events in event-time order with synthetic timestamps (1 ms apart), each click's label
     * LABEL_DELAY_MS later at most, interleaved by timestamp; then one event per partition far in
     * the future, so every real event's attribution window closes.
     */
    private static void produce(String bootstrap, Topics topics, SyntheticGenerator gen) {
        record Due(long at, String id) {
        }
        PriorityQueue<Due> labels = new PriorityQueue<>((a, b) -> Long.compare(a.at, b.at));
        java.util.SplittableRandom delay = new java.util.SplittableRandom(5);
        try (KafkaProducer<String, ClickEvent> ev = ServiceReadings.producer(bootstrap, ClickEvent.class);
             KafkaProducer<String, Label> lb = ServiceReadings.producer(bootstrap, Label.class)) {
            long last = 0;
            for (int i = 0; i < EVENTS; i++) {
                SyntheticExample ex = gen.example(i);
                long t = ex.event().getEventTime().toEpochMilli();
                while (!labels.isEmpty() && labels.peek().at <= t) {
                    Due d = labels.poll();
                    lb.send(new ProducerRecord<>(topics.labels(), null, d.at, d.id,
                            new Label(d.id, Instant.ofEpochMilli(d.at), 1)));
                }
                ev.send(new ProducerRecord<>(topics.events(), null, t, ex.event().getEventId(), ex.event()));
                if (ex.label() == 1) {
                    labels.add(new Due(t + 1 + delay.nextLong(LABEL_DELAY_MS), ex.event().getEventId()));
                }
                last = t;
            }
            for (Due d : labels) {
                lb.send(new ProducerRecord<>(topics.labels(), null, d.at, d.id, new Label(d.id, Instant.ofEpochMilli(d.at), 1)));
            }
            long closer = last + WINDOW_MS + GRACE_MS + 1_000;
            for (int p = 0; p < PARTITIONS; p++) {
                ClickEvent c = ClickEvent.newBuilder(gen.example(EVENTS + p).event()).setEventId("window-closer-" + p)
                        .setEventTime(Instant.ofEpochMilli(closer)).build();
                ev.send(new ProducerRecord<>(topics.events(), p, closer, c.getEventId(), c));
                // Windows close no further than the newest label while labels flow (README, Delayed
                // labels): each closer has a label of its own, which its window keeps.
                lb.send(new ProducerRecord<>(topics.labels(), p, closer, c.getEventId(),
                        new Label(c.getEventId(), Instant.ofEpochMilli(closer), 0)));
            }
        }
    }

    private static HistogramSnapshot.HistogramDataPointSnapshot histogram(PrometheusRegistry r, String name) {
        for (MetricSnapshot m : r.scrape()) {
            if (m.getMetadata().getPrometheusName().equals(name)) {
                return ((HistogramSnapshot) m).getDataPoints().get(0);
            }
        }
        throw new AssertionError("no metric " + name);
    }

    private static long cumulativeCountAtMost(HistogramSnapshot.HistogramDataPointSnapshot h, double le) {
        long n = 0;
        for (var b : h.getClassicBuckets()) {
            if (b.getUpperBound() <= le) {
                n += b.getCount();
            }
        }
        return n;
    }
}
