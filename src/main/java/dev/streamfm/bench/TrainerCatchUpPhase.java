package dev.streamfm.bench;

import dev.streamfm.config.ModelSetup;
import dev.streamfm.config.Settings;
import dev.streamfm.config.StreamfmConfig;
import dev.streamfm.metrics.StreamfmMetrics;
import dev.streamfm.model.ModelBenchmark;
import dev.streamfm.stream.ServiceRole;
import dev.streamfm.stream.StreamfmService;
import dev.streamfm.synth.SyntheticGenerator;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Trainer catch-up: labeled examples preloaded, {@code bench model}'s training throughput measured
 * at the same batch size while the broker idles, then the trainer ({@code serve --role trainer})
 * timed until its examples-trained counter reaches the backlog.
 */
record TrainerCatchUpPhase(BenchRun run, String bootstrapServers, CatchUpMeter meter) {

    TrainerCatchUp run(long events, SyntheticGenerator generator) throws InterruptedException {
        StreamfmConfig cfg = run.phase("trainer", bootstrapServers, Map.of());
        int batch = cfg.getInt(Settings.TRAINING_BATCH);
        // Whole batches only: a trailing partial batch closes by time (streamfm.training.batch.max.ms),
        // which would time the wait, not the training.
        long examples = Math.max(batch, events - events % batch);
        BenchRun.createTopics(cfg, PassThrough.sink(cfg));
        ModelSetup setup = ModelSetup.from(cfg);
        Preload.examples(BenchRun.clients(cfg), cfg.topics().examples(), setup.modelName(), generator, examples,
                run.progress());

        run.progress().now("bench model: " + setup.shape().name() + " batch " + batch);
        // bench model's defaults, fresh models included: a session's training speed varies from one to the next
        ModelBenchmark.Plan plan = new ModelBenchmark.Plan(setup.modelConfig().type(), List.of(setup.shape()),
                List.of(batch), Duration.ofSeconds(ModelBenchmark.DEFAULT_PHASE_SECONDS), Optional.empty(),
                ModelBenchmark.DEFAULT_MODELS);
        ModelBenchmark.Cell reference = ModelBenchmark.run(plan, line -> { }).get(0);

        CatchUp passThrough = PassThrough.time(run, meter, cfg, ServiceRole.TRAINER, "trainer", examples,
                CommittedTail::pollRecords);

        PrometheusRegistry registry = new PrometheusRegistry();
        RegistryReadings readings = new RegistryReadings(registry);
        Map<String, String> model = Map.of("model", setup.modelName());
        run.progress().now("trainer: training on " + examples + " examples");
        long startedAt = System.nanoTime();
        CatchUp trainer;
        try (StreamfmService ignored = StreamfmService.start(cfg, ServiceRole.TRAINER, new StreamfmMetrics(registry))) {
            trainer = meter.await("trainer", examples, startedAt,
                    () -> (long) readings.counter(Metric.EXAMPLES_TRAINED, model));
        }
        return new TrainerCatchUp(batch, trainer, reference.trainExamplesPerSecond(),
                trainer.perSecond() / reference.trainExamplesPerSecond(), passThrough,
                trainer.perSecond() / passThrough.perSecond());
    }
}
