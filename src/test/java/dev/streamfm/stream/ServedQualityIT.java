package dev.streamfm.stream;

import dev.streamfm.config.ModelSetup;
import dev.streamfm.config.Settings;
import dev.streamfm.config.StreamfmConfig;
import dev.streamfm.config.Topics;
import dev.streamfm.evaluation.DelayedFeedbackEvaluator;
import dev.streamfm.evaluation.LabelArrival;
import dev.streamfm.evaluation.Metrics;
import dev.streamfm.evaluation.TimedEvent;
import dev.streamfm.kafka.EmbeddedKafkaBroker;
import dev.streamfm.kafka.TopicAdmin;
import dev.streamfm.metrics.StreamfmMetrics;
import dev.streamfm.model.DelayedFeedback;
import dev.streamfm.model.Model;
import dev.streamfm.model.Models;
import dev.streamfm.schema.ClickEvent;
import dev.streamfm.schema.Label;
import dev.streamfm.schema.Prediction;
import dev.streamfm.stream.serde.AvroSerde;
import dev.streamfm.synth.SynthConfig;
import dev.streamfm.synth.SynthShape;
import dev.streamfm.synth.SyntheticExample;
import dev.streamfm.synth.SyntheticGenerator;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The quality users see: 100k frappe-like events produced live at 1000/s with click labels up to
 * 1 s late, through `serve --role all` with default settings but the demo's 5 s window and 2 s grace; the AUC of the
 * predictions read back from streamfm.predictions against the labels sent to streamfm.labels,
 * over the last 20k events, matches the offline replay of the same events in the service's
 * arrival order (README, "Delayed labels": a model of the same age is one trained on exactly
 * the examples whose window had closed when the event was scored; the service's model is older
 * still by the trainer's batching, training and model sync). The served-model AUC metric agrees
 * with the AUC computed from the topics.
 */
class ServedQualityIT {

    private static final int EVENTS = 100_000;
    private static final int TAIL = 10_000;         // more events, so every evaluated event's window closes
    private static final int RATE = 1_000;
    private static final long MAX_LABEL_DELAY_MS = 1_000;
    private static final long WINDOW_MS = 5_000;
    private static final long GRACE_MS = 2_000;
    private static final int LAST = 20_000;

    @TempDir
    Path state;

    private record Sent(ClickEvent event, int label, long time, long clickTime) {
    }

    @Test
    void predictionsOnTheTopicAreAsGoodAsTheOfflineReplayOfTheSameArrivalOrder() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            StreamfmConfig cfg = StreamfmConfig.load(null, Map.of(), Map.of(
                    "bootstrap.servers", broker.bootstrapServers(),
                    "streamfm.labeling.window.ms", Long.toString(WINDOW_MS),
                    "streamfm.labeling.grace.ms", Long.toString(GRACE_MS),
                    "streamfm.state.dir", state.toString()));
            Topics topics = cfg.topics();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                TopicAdmin.ensure(admin, TopicAdmin.required(topics, cfg.getInt(Settings.PARTITIONS), 1), (short) 1);
            }
            PrometheusRegistry registry = new PrometheusRegistry();
            List<Sent> sent;
            Map<String, Double> scores = new HashMap<>();
            double servedMetric;
            double orphans;
            try (StreamfmService service = StreamfmService.start(cfg, ServiceRole.ALL, new StreamfmMetrics(registry));
                 TopicTail<Prediction> predictions = new TopicTail<>(broker.bootstrapServers(), topics.predictions(),
                         AvroSerde.of(Prediction.class).deserializer(), true)) {
                sent = produceLive(broker.bootstrapServers(), topics);
                assertTrue(predictions.pollUntil(() -> predictions.records().size() >= EVENTS + TAIL,
                        Duration.ofMinutes(3)), "predictions committed: " + predictions.records().size());
                for (ConsumerRecord<String, Prediction> r : predictions.records()) {
                    assertEquals(null, scores.put(r.value().getEventId(), r.value().getScore()),
                            "second prediction for " + r.value().getEventId());
                }
                Thread.sleep(1_500);   // the served evaluation publishes at most once a second
                servedMetric = ServiceReadings.gauge(registry, "streamfm_online_auc", "served");
                orphans = ServiceReadings.counter(registry, "streamfm_dead_letters", "reason", "orphan_label");
            }
            float[] served = new float[sent.size()];
            byte[] labels = new byte[sent.size()];
            for (int i = 0; i < sent.size(); i++) {
                Sent s = sent.get(i);
                served[i] = scores.get(s.event().getEventId()).floatValue();
                labels[i] = (byte) s.label();
            }
            Metrics fromTopics = Metrics.of(served, labels, EVENTS - LAST, EVENTS);

            ModelSetup setup = ModelSetup.from(cfg);
            LabelArrival arrival = new LabelArrival(WINDOW_MS, GRACE_MS, DelayedFeedback.WINDOW,
                    cfg.getLong(Settings.TRAINING_MAX_MS));
            Metrics offline;
            try (Model model = Models.create(setup.modelConfig(), setup.spec().layout())) {
                List<TimedEvent> timed = sent.subList(0, EVENTS).stream().map(s -> new TimedEvent(
                        new Arrived(s.event(), s.label()), s.time(), s.clickTime())).toList();
                offline = new DelayedFeedbackEvaluator(model, setup.spec(), cfg.getInt(Settings.TRAINING_BATCH), arrival)
                        .run(timed.iterator(), n -> { }).scores().last(LAST);
            }
            // The served-model metric covers the last metrics-window examples whose window closed.
            int window = cfg.getInt(Settings.METRICS_WINDOW);
            long closedBy = sent.get(sent.size() - 1).time() - WINDOW_MS - GRACE_MS;
            int closed = (int) sent.stream().filter(s -> s.time() < closedBy).count();
            Metrics lastClosed = Metrics.of(served, labels, Math.max(0, closed - window), closed);
            System.out.printf("AUC over the last %d of %d events: predictions topic %.4f, offline replay %.4f; "
                    + "served-model metric %.4f vs topics over the last %d closed %.4f; orphaned clicks %.0f%n", LAST,
                    EVENTS, fromTopics.auc(), offline.auc(), servedMetric, window, lastClosed.auc(), orphans);
            assertTrue(offline.auc() > 0.75, "the offline replay learned: " + offline.auc());
            assertEquals(offline.auc(), fromTopics.auc(), 0.02, "AUC of the predictions topic over the last 20k");
            assertEquals(lastClosed.auc(), servedMetric, 0.01, "streamfm_online_auc{source=\"served\"}");
        }
    }

    private record Arrived(ClickEvent event, int label) implements dev.streamfm.evaluation.LabeledEvent {
    }

    /** Events stamped with the wall clock at RATE/s, each click's label up to MAX_LABEL_DELAY_MS later, sent when due. */
    private static List<Sent> produceLive(String bootstrap, Topics topics) throws InterruptedException {
        record Due(long at, String id) {
        }
        SyntheticGenerator gen = new SyntheticGenerator(SynthShape.FRAPPE_LIKE, SynthConfig.defaults(11));
        SplittableRandom delays = new SplittableRandom(12);
        PriorityQueue<Due> due = new PriorityQueue<>((a, b) -> Long.compare(a.at, b.at));
        List<Sent> sent = new ArrayList<>(EVENTS + TAIL);
        try (KafkaProducer<String, ClickEvent> events = ServiceReadings.producer(bootstrap, ClickEvent.class);
             KafkaProducer<String, Label> labels = ServiceReadings.producer(bootstrap, Label.class)) {
            long start = System.currentTimeMillis();
            int next = 0;
            while (next < EVENTS + TAIL || !due.isEmpty()) {
                long now = System.currentTimeMillis();
                while (!due.isEmpty() && due.peek().at <= now) {
                    Due d = due.poll();
                    labels.send(new ProducerRecord<>(topics.labels(), null, d.at, d.id,
                            new Label(d.id, Instant.ofEpochMilli(d.at), 1)));
                }
                long target = Math.min(EVENTS + TAIL, (now - start) * RATE / 1000);
                for (; next < target; next++) {
                    SyntheticExample x = gen.example(next);
                    ClickEvent e = ClickEvent.newBuilder(x.event()).setEventTime(Instant.ofEpochMilli(now)).build();
                    events.send(new ProducerRecord<>(topics.events(), null, now, e.getEventId(), e));
                    long click = x.label() == 1 ? now + 1 + delays.nextLong(MAX_LABEL_DELAY_MS) : now;
                    if (x.label() == 1) {
                        due.add(new Due(click, e.getEventId()));
                    }
                    sent.add(new Sent(e, x.label(), now, click));
                }
                Thread.sleep(2);
            }
        }
        return sent;
    }
}
