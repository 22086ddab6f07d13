package dev.streamfm.stream;

import dev.streamfm.config.ModelSetup;
import dev.streamfm.config.Settings;
import dev.streamfm.config.StreamfmConfig;
import dev.streamfm.kafka.TopicAdmin;
import dev.streamfm.metrics.MetricsServer;
import dev.streamfm.metrics.ModelRole;
import dev.streamfm.metrics.StreamfmMetrics;
import dev.streamfm.model.Model;
import dev.streamfm.model.ModelUse;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** Runs the Kafka Streams applications of a role against a cluster. */
public final class StreamfmService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StreamfmService.class);

    private final List<KafkaStreams> streams = new ArrayList<>();
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final AtomicInteger threadFailures = new AtomicInteger();
    private ModelReplica replica;
    private ModelFollower follower;
    private final ServiceRole role;
    private volatile boolean closed;

    private StreamfmService(ServiceRole role) {
        this.role = role;
    }

    /**
     * Starts the role's applications, with Kafka Streams client metrics on the endpoint's registry
     * and the service's liveness and readiness on its probes.
     */
    public static StreamfmService start(StreamfmConfig cfg, ServiceRole role, StreamfmMetrics metrics,
                                        MetricsServer endpoint) {
        StreamfmService service = start(cfg, role, metrics, endpoint::bindKafkaStreams);
        endpoint.probes(service::liveness, service::readiness);
        return service;
    }

    /** Starts the role's applications without Kafka Streams client metrics (tests). */
    public static StreamfmService start(StreamfmConfig cfg, ServiceRole role, StreamfmMetrics metrics) {
        return start(cfg, role, metrics, ks -> () -> {
        });
    }

    private static StreamfmService start(StreamfmConfig cfg, ServiceRole role, StreamfmMetrics metrics,
                                         Function<KafkaStreams, AutoCloseable> clientMetrics) {
        ModelSetup setup = ModelSetup.from(cfg);
        StreamfmService service = new StreamfmService(role);
        try {
            try (Admin admin = Admin.create(StreamsProperties.clientProperties(cfg))) {
                TopicAdmin.ensure(admin, TopicAdmin.required(cfg.topics(), cfg.getInt(Settings.PARTITIONS), 1),
                        (short) cfg.getInt(Settings.REPLICATION));
                if (role.scores()) {
                    DerivedRecordLimit.check(admin, setup.spec().limits(),
                            StreamsProperties.of(cfg, ServiceRole.SCORER, metrics),
                            List.of(cfg.topics().examples(), cfg.topics().events(), cfg.topics().deadLetters()));
                }
            }
            String model = setup.modelName();
            Function<ModelUse, Model> initial = InitialModel.of(cfg, setup);
            if (role.trains()) {
                TrainerMetrics observer = new TrainerMetrics(model, metrics, cfg.getInt(Settings.METRICS_WINDOW),
                        cfg.getInt(Settings.ANALYSIS_WINDOW));
                Topology t = TrainerTopology.build(cfg, setup.spec(), () -> initial.apply(ModelUse.TRAINING), observer,
                        metrics);
                service.startStreams(t, cfg, ServiceRole.TRAINER, metrics, clientMetrics);
            }
            if (role.scores()) {
                List<Model> copies = new ArrayList<>();
                try {
                    for (int i = 0; i < cfg.getInt(Settings.SCORING_MODEL_COPIES); i++) {
                        copies.add(initial.apply(ModelUse.SCORING));
                    }
                } catch (RuntimeException e) {
                    copies.forEach(Model::close);
                    throw e;
                }
                service.replica = new ModelReplica(copies, setup.fingerprint(), (block, seconds) -> {
                            metrics.onFreshness(model, seconds);
                            metrics.setModelVersion(model, ModelRole.SCORER, block.getVersion());
                        }, reason -> metrics.onModelBlockRefused(model, reason));
                service.resources.add(service.replica);
                metrics.initModelVersionsRejected(model);
                service.follower = ModelFollower.start(StreamsProperties.clientProperties(cfg),
                        cfg.topics().model(), model, service.replica, ModelFollower.READ_TIMEOUT, Settings.gate(cfg),
                        decision -> metrics.onModelVersionRejected(model, decision.reason()));
                service.resources.add(0, service.follower);
                metrics.setModelVersion(model, ModelRole.SCORER, service.replica.version());
                Topology t = ScorerTopology.build(cfg, setup.spec(), service.replica, metrics);
                service.startStreams(t, cfg, ServiceRole.SCORER, metrics, clientMetrics);
            }
            log.info("StreamFM running role={} model='{}' ({}, {} fields, {} table rows) on {} topics={}.* "
                            + "guarantee={}", role.label(), model, setup.modelConfig().type().label(),
                    setup.spec().layout().fields(), setup.spec().layout().totalRows(), cfg.bootstrapServers(),
                    cfg.get(Settings.TOPIC_PREFIX), cfg.get(Settings.GUARANTEE));
            return service;
        } catch (RuntimeException e) {
            service.close();
            throw e;
        }
    }

    private void startStreams(Topology topology, StreamfmConfig cfg, ServiceRole role, StreamfmMetrics metrics,
                              Function<KafkaStreams, AutoCloseable> clientMetrics) {
        log.info("{} topology:\n{}", role.label(), topology.describe());
        KafkaStreams ks = new KafkaStreams(topology, StreamsProperties.of(cfg, role, metrics));
        ks.setUncaughtExceptionHandler(e -> {
            threadFailures.incrementAndGet();
            log.error("{} stream thread failed; replacing it. Cause: {}", role.label(), e.toString(), e);
            return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse
                    .REPLACE_THREAD;
        });
        resources.add(clientMetrics.apply(ks));
        ks.start();
        streams.add(ks);
    }

    /**
     * Liveness: nothing this process runs has failed for good. A Kafka Streams client in ERROR
     * (all its threads died) or NOT_RUNNING without a close only comes back with a restart;
     * rebalancing and a replaced thread are not failures.
     */
    public Map<String, Boolean> liveness() {
        boolean streamsAlive = streams.stream().noneMatch(ks -> ks.state() == KafkaStreams.State.ERROR
                || ks.state() == KafkaStreams.State.PENDING_ERROR
                || !closed && ks.state() == KafkaStreams.State.NOT_RUNNING);
        return Map.of("streams_alive", streamsAlive);
    }

    /** Readiness: the streams are RUNNING, the scorer's model is loaded and its follower follows. */
    public Map<String, Boolean> readiness() {
        Map<String, Boolean> checks = new java.util.LinkedHashMap<>();
        checks.put("streams_running", streamsRunning());
        // The trainer loads its model when its task starts, which RUNNING already covers.
        checks.put("model_loaded", !role.scores() || replica != null);
        checks.put("model_follower_alive", followerAlive());
        return checks;
    }

    /** Whether every Kafka Streams application of this process is RUNNING (not rebalancing, failed or closed). */
    public boolean streamsRunning() {
        return !streams.isEmpty() && streams.stream().allMatch(ks -> ks.state() == KafkaStreams.State.RUNNING);
    }

    /** Stream threads that died of an exception (and were replaced) since start. */
    public int threadFailures() {
        return threadFailures.get();
    }

    /** Whether this process's model follower (when it scores) still follows the model topic. */
    public boolean followerAlive() {
        return follower == null || follower.alive();
    }

    /** The scorer's model replica, when this process scores. */
    public ModelReplica replica() {
        return replica;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (KafkaStreams ks : streams) {
            ks.close(Duration.ofSeconds(8));
        }
        for (AutoCloseable r : resources) {
            try {
                r.close();
            } catch (Exception e) {
                log.warn("closing {} failed: {}", r, e.toString());
            }
        }
    }
}
