package dev.streamfm.config;

import dev.streamfm.model.ModelConfig;
import dev.streamfm.model.SparseOptimizer;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/** Every StreamFM setting with its default. Defaults run the demo as is. */
public final class Settings {

    public static final Setting APPLICATION_ID = Setting.text("streamfm.application.id", "streamfm",
            "Prefix of the Kafka Streams application ids (<id>-scorer, <id>-trainer) and consumer groups.");
    public static final Setting TOPIC_PREFIX = Setting.text("streamfm.topic.prefix", "streamfm",
            "Prefix of every topic: <prefix>.events, .labels, .predictions, .examples, .model, .dlq.");
    public static final Setting PARTITIONS = Setting.positiveInt("streamfm.topic.partitions", 4,
            "Partitions of events, labels, predictions and dlq when the service creates them.");
    public static final Setting REPLICATION = Setting.positiveInt("streamfm.topic.replication.factor", 1,
            "Replication factor of topics the service creates.");
    public static final Setting MODEL_NAME = Setting.text("streamfm.model.name", "deepfm",
            "Name of the model: key of its examples and model blocks, label of its metrics.");
    public static final Setting MODEL_TYPE = Setting.oneOf("streamfm.model.type", "deepfm",
            List.of("lr", "fm", "deepfm", "deepfm-decoupled"), "Model variant.");
    public static final Setting SHAPE = Setting.oneOf("streamfm.features.shape", "frappe-like",
            List.of("frappe-like", "criteo-like"),
            "Synthetic shape whose feature spec and model sizes are used when no spec file is given.");
    public static final Setting SPEC_FILE = Setting.text("streamfm.features.spec", "",
            "YAML feature spec (fields, kinds, buckets, transforms); empty = the spec of streamfm.features.shape.");
    public static final Setting EMBEDDING_DIM = Setting.intInRange("streamfm.model.embedding.dim", 0, 0,
            ModelConfig.MAX_EMBEDDING_DIM, "Embedding size D; 0 = the shape's default.");
    public static final Setting HIDDEN_UNITS = new Setting("streamfm.model.hidden.units", "",
            "comma-separated integers in 1.." + ModelConfig.MAX_HIDDEN_UNITS
                    + ", e.g. 400,400,400 (empty = the shape's default)",
            v -> v.isBlank() || v.matches("\\s*[1-9][0-9]{0,5}(\\s*,\\s*[1-9][0-9]{0,5})*\\s*")
                    && Arrays.stream(v.split(",")).mapToInt(u -> Integer.parseInt(u.trim()))
                    .allMatch(u -> u <= ModelConfig.MAX_HIDDEN_UNITS), "DNN layer widths.");
    public static final Setting OPTIMIZER = Setting.oneOf("streamfm.model.optimizer",
            ModelConfig.DEFAULT_OPTIMIZER.label(), Arrays.stream(SparseOptimizer.values()).map(SparseOptimizer::label)
                    .toList(), "Optimizer of the embedding and first-order tables (per-example updates); "
                    + "the DNN and bias use Adam.");
    public static final Setting EMBEDDING_LR = Setting.positiveDouble("streamfm.model.embedding.lr",
            ModelConfig.DEFAULT_EMBEDDING_LR, "Learning rate of the table optimizer.");
    public static final Setting INIT_ACCUMULATOR = Setting.positiveDouble("streamfm.model.init.accumulator",
            ModelConfig.DEFAULT_INIT_ACCUMULATOR, "Initial accumulator of the table optimizer.");
    public static final Setting DENSE_LR = Setting.positiveDouble("streamfm.model.dense.lr",
            ModelConfig.DEFAULT_DENSE_LR, "Adam learning rate of the DNN and bias.");
    public static final Setting L1 = Setting.nonNegativeDouble("streamfm.model.l1", ModelConfig.DEFAULT_L1,
            "FTRL L1 strength on the tables (ftrl only); larger = more rows exactly 0.");
    public static final Setting L2 = Setting.nonNegativeDouble("streamfm.model.l2", ModelConfig.DEFAULT_L2,
            "L2 penalty on embedding rows touched by a batch.");
    public static final Setting DROPOUT = new Setting("streamfm.model.dropout", "0.0", "a number in [0, 1)",
            v -> v.matches("0(\\.[0-9]+)?|\\.[0-9]+"), "Dropout rate of hidden layers while training.");
    public static final Setting BATCH_NORM = Setting.bool("streamfm.model.batch.norm", false,
            "Batch normalisation after each hidden layer.");
    public static final Setting SEED = Setting.nonNegativeLong("streamfm.model.seed", 42,
            "Seed of the initialisation and of dropout.");
    public static final Setting SCORING_BATCH = Setting.positiveInt("streamfm.scoring.batch.size", 256,
            "Events per inference call; a batch also closes after streamfm.scoring.batch.max.ms.");
    public static final Setting SCORING_MAX_MS = Setting.millis(
            "streamfm.scoring.batch.max.ms", Duration.ofMillis(5), 1,
            "Longest an event waits for its batch to fill.");
    public static final Setting TRAINING_BATCH = Setting.positiveInt("streamfm.training.batch.size", 256,
            "Examples per training step.");
    public static final Setting TRAINING_MAX_MS = Setting.millis(
            "streamfm.training.batch.max.ms", Duration.ofSeconds(1), 0,
            "Longest an example waits for its training batch to fill; 0 = batches close by count only.");
    public static final Setting CHECKPOINT_MS = Setting.millis(
            "streamfm.training.checkpoint.interval.ms", Duration.ofMillis(500), 1,
            "How often the trainer publishes changed model blocks (bounds model freshness).");
    public static final Setting BLOCK_ROWS = Setting.positiveInt("streamfm.training.block.rows", 256,
            "Table rows per model block on the model topic.");
    public static final Setting ANALYSIS_EVERY = Setting.nonNegativeLong("streamfm.analysis.every", 10,
            "Analyse gradients every k-th training step; 0 = off.");
    public static final Setting ANALYSIS_WINDOW = Setting.positiveInt("streamfm.analysis.window", 100,
            "Analysed steps in the rolling conflict and importance windows.");
    public static final Setting METRICS_WINDOW = Setting.positiveInt("streamfm.metrics.window", 20000,
            "Examples in the rolling online AUC / logloss / calibration window.");
    public static final Setting ATTRIBUTION_MS = Setting.millis(
            "streamfm.labeling.window.ms", Duration.ofMinutes(15), 1,
            "Attribution window: a click within this time after its event makes it a positive.");
    public static final Setting GRACE_MS = Setting.millis(
            "streamfm.labeling.grace.ms", Duration.ofSeconds(30), 0,
            "Out-of-order allowance: events up to this much older than the newest event seen still wait for "
                    + "their labels; examples are released window + grace after their event.");
    public static final Setting MAX_FUTURE_MS = Setting.millis(
            "streamfm.input.max.future.ms", Duration.ofHours(1), 1,
            "Records timestamped further ahead of this machine's clock go to the dead-letter topic "
                    + "(timestamp_out_of_range): one such event would close every open attribution window.");
    public static final Setting MAX_SKEW_MS = Setting.millis(
            "streamfm.input.max.skew.ms", Duration.ofHours(1), 0,
            "Records whose timestamp differs from their own event_time by more than this go to the dead-letter "
                    + "topic (timestamp_out_of_range): the attribution join runs on record timestamps.");
    public static final Setting MAX_AGE_MS = Setting.millis(
            "streamfm.input.max.age.ms", Duration.ZERO, 0,
            "Records timestamped further behind this machine's clock go to the dead-letter topic "
                    + "(timestamp_out_of_range); 0 = no bound, as replays of old logs need.");
    public static final Setting GUARANTEE = Setting.oneOf("streamfm.processing.guarantee", "exactly_once_v2",
            List.of("exactly_once_v2", "at_least_once"), "Kafka Streams processing guarantee.");
    public static final Setting COMMIT_MS = Setting.millis(
            "streamfm.commit.interval.ms", Duration.ofMillis(50), 1,
            "Kafka Streams commit interval; under exactly-once, output becomes visible at commits.");
    public static final Setting STATE_DIR = Setting.text("streamfm.state.dir",
            System.getProperty("java.io.tmpdir") + "/streamfm-state", "Kafka Streams state directory.");
    public static final Setting THREADS = Setting.positiveInt("streamfm.stream.threads", 1,
            "Stream threads per application (TensorFlow already uses both cores per call).");
    public static final Setting METRICS_BIND = Setting.text("streamfm.metrics.bind", "127.0.0.1",
            "Address of the metrics and probe endpoint: 127.0.0.1 = this host only; 0.0.0.0 = every interface "
                    + "(containers, to be scraped and probed from outside).");
    public static final Setting METRICS_PORT = Setting.intInRange("streamfm.metrics.port", 9400, 0, 65535,
            "Port of the Prometheus endpoint (/metrics) and the probes (/healthz, /readyz); 0 = a free port.");

    public static final List<Setting> ALL = List.of(APPLICATION_ID, TOPIC_PREFIX, PARTITIONS, REPLICATION, MODEL_NAME,
            MODEL_TYPE, SHAPE, SPEC_FILE, EMBEDDING_DIM, HIDDEN_UNITS, OPTIMIZER, EMBEDDING_LR, INIT_ACCUMULATOR,
            DENSE_LR, L1, L2, DROPOUT, BATCH_NORM,
            SEED, SCORING_BATCH, SCORING_MAX_MS, TRAINING_BATCH, TRAINING_MAX_MS, CHECKPOINT_MS, BLOCK_ROWS,
            ANALYSIS_EVERY, ANALYSIS_WINDOW, METRICS_WINDOW, ATTRIBUTION_MS, GRACE_MS, MAX_FUTURE_MS, MAX_SKEW_MS, MAX_AGE_MS,
            GUARANTEE,
            COMMIT_MS,
            STATE_DIR, THREADS, METRICS_BIND, METRICS_PORT);

    private Settings() {
    }
}
