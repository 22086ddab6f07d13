package dev.streamfm.bench;

import dev.streamfm.config.Settings;
import dev.streamfm.config.StreamfmConfig;
import dev.streamfm.metrics.StreamfmMetrics;
import dev.streamfm.stream.ServiceRole;
import dev.streamfm.stream.StreamfmService;
import dev.streamfm.synth.SyntheticGenerator;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;

/**
 * Scorer catch-up under one guarantee: N events preloaded, then the pass-through ceiling and then
 * the scorer ({@code serve --role scorer}) each read them all; both are timed until their last
 * output is committed, as a read_committed consumer sees it.
 */
record ScorerCatchUpPhase(BenchRun run, String bootstrapServers, CatchUpMeter meter) {

    private static final Logger log = LoggerFactory.getLogger(ScorerCatchUpPhase.class);
    private static final Duration POLL = Duration.ofMillis(50);

    /** What an operator needs to tell a stuck scorer from a stuck reader: the service's own consumer lag. */
    private static void logStall(StreamfmConfig cfg) {
        try (Admin admin = Admin.create(BenchRun.clients(cfg))) {
            log.warn("Scorer catch-up stalled; consumer lag by application: {}",
                    ConsumerLag.byGroup(admin, cfg.get(Settings.APPLICATION_ID)));
        }
    }

    /** @param repeat which measured run of this guarantee (1, 2, ...): each gets topics and state of its own */
    ScorerCatchUp run(String guarantee, int repeat, long events, SyntheticGenerator generator)
            throws InterruptedException {
        String name = "scorer-" + Guarantees.shortName(guarantee) + (repeat == 1 ? "" : "-" + repeat);
        StreamfmConfig cfg = run.phase(name, bootstrapServers, Map.of(Settings.GUARANTEE.key(), guarantee));
        BenchRun.createTopics(cfg, PassThrough.sink(cfg));
        Preload.events(BenchRun.clients(cfg), cfg.topics().events(), generator, events, run.progress());

        CatchUp ceiling = PassThrough.time(run, meter, cfg, ServiceRole.SCORER, name, events,
                CommittedTail::pollDistinct);

        try (CommittedTail tail = new CommittedTail(BenchRun.clients(cfg), cfg.topics().predictions())) {
            run.progress().now("scorer " + guarantee + ": scoring " + events + " events");
            long startedAt = System.nanoTime();
            CatchUp scorer;
            try (StreamfmService ignored = StreamfmService.start(cfg, ServiceRole.SCORER,
                    new StreamfmMetrics(new PrometheusRegistry()))) {
                scorer = meter.await("scorer " + guarantee, events, startedAt, () -> tail.pollDistinct(POLL));
                if (!scorer.complete()) {
                    logStall(cfg);
                }
            }
            return new ScorerCatchUp(guarantee, repeat, scorer, ceiling, tail.duplicates(),
                    scorer.perSecond() / ceiling.perSecond());
        }
    }
}
