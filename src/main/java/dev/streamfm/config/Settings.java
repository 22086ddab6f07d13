package dev.streamfm.config;

import dev.streamfm.model.AdmissionConfig;
import dev.streamfm.model.AnalysisCadence;
import dev.streamfm.model.EmbeddingSharing;
import dev.streamfm.model.DelayedFeedback;
import dev.streamfm.model.ModelConfig;
import dev.streamfm.model.ModelType;
import dev.streamfm.model.QualityGate;
import dev.streamfm.model.SparseOptimizer;
import dev.streamfm.model.SquaredGradients;
import dev.streamfm.model.Tower;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

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
    public static final Setting OUTPUT_FORMAT = Setting.oneOf("streamfm.output.format", "avro",
            List.of("avro", "json"), "Encoding of predictions and dead letters: avro (single-object encoding, "
                    + "schemas/*.avsc) or json (one object per record, same field names).");
    public static final Setting MODEL_NAME = Setting.text("streamfm.model.name", "deepfm",
            "Name of the model: key of its examples and model blocks, label of its metrics.");
    public static final Setting MODEL_TYPE = Setting.oneOf("streamfm.model.type", ModelConfig.DEFAULTS.type().label(),
            ModelType.labels(), "Model variant (README, Model variants).");
    public static final Setting TOWERS = new Setting("streamfm.model.towers", "",
            "comma-separated towers (" + Arrays.stream(Tower.values()).map(Tower::label)
                    .collect(Collectors.joining(", ")) + "), e.g. attention,fm; empty = the variant's own",
            Settings::towerList,
            "Towers of the model where its variant lets them be switched (README, Model variants).");
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
    public static final Setting CIN_LAYERS = new Setting("streamfm.model.cin.layers",
            ModelConfig.DEFAULTS.cinLayers().stream().map(String::valueOf).collect(Collectors.joining(",")),
            "comma-separated positive integers, all but the last even",
            v -> v.matches("\\s*[1-9][0-9]*(\\s*,\\s*[1-9][0-9]*)*\\s*"),
            "Feature maps per CIN layer (xdeepfm), split-half.");
    public static final Setting ATTENTION_LAYERS = Setting.positiveInt("streamfm.model.attention.layers",
            ModelConfig.DEFAULTS.attentionLayers(), "Self-attention layers (autoint).");
    public static final Setting ATTENTION_HEADS = Setting.positiveInt("streamfm.model.attention.heads",
            ModelConfig.DEFAULTS.attentionHeads(), "Heads per self-attention layer, each D wide (autoint).");
    public static final Setting SHARING = new Setting("streamfm.model.sharing", "",
            "empty or one of " + String.join(", ", EmbeddingSharing.labels()),
            v -> v.isBlank() || EmbeddingSharing.labels().contains(v.trim()), "How towers share the field embeddings: "
                    + Arrays.stream(EmbeddingSharing.values()).map(v -> v.label() + " = " + v.summary())
                    .collect(Collectors.joining("; ")) + "; empty = the variant's own (README, Conflict mitigation).");
    public static final Setting DECOUPLING_EVERY = Setting.positiveInt("streamfm.model.decoupling.every",
            ModelConfig.DEFAULTS.decoupling().everySteps(), "Sharing auto: compare the towers' gradients per field "
                    + "every k-th training step (README, Conflict mitigation).");
    public static final Setting DECOUPLING_WINDOW = Setting.positiveInt("streamfm.model.decoupling.window",
            ModelConfig.DEFAULTS.decoupling().window(), "Sharing auto: tower-pair observations of a field per "
                    + "decision.");
    public static final Setting DECOUPLING_THRESHOLD = Setting.shareOfOne("streamfm.model.decoupling.threshold",
            ModelConfig.DEFAULTS.decoupling().threshold(), "Sharing auto: a field whose share of conflicting "
                    + "observations in a window is above this gets separate rows per tower; 1 = never.");
    public static final Setting OPTIMIZER = Setting.oneOf("streamfm.model.optimizer",
            ModelConfig.DEFAULTS.optimizer().label(), Arrays.stream(SparseOptimizer.values()).map(SparseOptimizer::label)
                    .toList(), "Optimizer of the embedding and first-order tables and the bias (per-example "
                    + "updates); the dense layers use Adam.");
    public static final Setting EMBEDDING_LR = Setting.positiveDouble("streamfm.model.embedding.lr",
            ModelConfig.DEFAULTS.embeddingLr(), "Learning rate of the table optimizer.");
    public static final Setting INIT_ACCUMULATOR = Setting.positiveDouble("streamfm.model.init.accumulator",
            ModelConfig.DEFAULTS.initAccumulator(), "Initial accumulator of the table optimizer.");
    public static final Setting SQUARED_GRADIENTS = Setting.oneOf("streamfm.model.squared.gradients",
            ModelConfig.DEFAULTS.squaredGradients().label(), SquaredGradients.labels(),
            "What the table optimizer's accumulator adds for a touched row: "
                    + Arrays.stream(SquaredGradients.values()).map(v -> v.label() + " = " + v.summary())
                    .collect(Collectors.joining("; ")) + " (README, Defaults and why).");
    public static final Setting DENSE_LR = Setting.positiveDouble("streamfm.model.dense.lr",
            ModelConfig.DEFAULTS.denseLr(), "Adam learning rate of the dense layers.");
    public static final Setting L1 = Setting.nonNegativeDouble("streamfm.model.l1", ModelConfig.DEFAULTS.l1(),
            "FTRL L1 strength on the tables (ftrl only); larger = more rows exactly 0.");
    public static final Setting L2 = Setting.nonNegativeDouble("streamfm.model.l2", ModelConfig.DEFAULTS.l2(),
            "L2 penalty on embedding rows touched by a batch.");
    public static final Setting ADMISSION_MIN_COUNT = Setting.intInRange("streamfm.model.admission.min.count",
            ModelConfig.DEFAULTS.admission().minCount(), 1, AdmissionConfig.MAX_MIN_COUNT,
            "Sightings in training before an id gets a table row of its own; until then it shares one row with "
                    + "the field's other new ids. 1 = every id from its first sighting (README, Feature admission "
                    + "and expiry).");
    public static final Setting EXPIRY_EXAMPLES = Setting.nonNegativeLong("streamfm.model.expiry.examples",
            ModelConfig.DEFAULTS.admission().expiryExamples(),
            "An id not seen for this many training examples gives its row back (initialised again, optimizer "
                    + "state included) and starts counting sightings again; 0 = never.");
    public static final Setting DROPOUT = new Setting("streamfm.model.dropout",
            Double.toString(ModelConfig.DEFAULTS.dropout()), "a number in [0, 1)",
            v -> v.matches("0(\\.[0-9]+)?|\\.[0-9]+"), "Dropout rate of hidden layers while training.");
    public static final Setting BATCH_NORM = Setting.bool("streamfm.model.batch.norm", ModelConfig.DEFAULTS.batchNorm(),
            "Batch normalisation after each hidden layer.");
    public static final Setting SEED = Setting.nonNegativeLong("streamfm.model.seed", ModelConfig.DEFAULTS.seed(),
            "Seed of the initialisation and of dropout.");
    public static final Setting MODEL_INIT = Setting.text("streamfm.model.init", "",
            "Directory of a saved model (eval --save-model, export) to start from while the model topic holds no "
                    + "block of this model; its feature spec and shape must match this configuration's.");
    public static final Setting GATE_ENABLED = Setting.bool("streamfm.model.gate.enabled",
            QualityGate.Config.DEFAULTS.enabled(), "Model quality gate: a scorer applies a new model version only "
                    + "when the trainer's online AUC and logloss have not fallen beyond the margins from the best "
                    + "recent version; otherwise it keeps the last good one (README, Model quality gate).");
    public static final Setting GATE_MAX_AUC_DROP = Setting.nonNegativeDouble("streamfm.model.gate.max.auc.drop",
            QualityGate.Config.DEFAULT_MAX_AUC_DROP,
            "Largest fall of the trainer's online AUC below the best recent version that the gate lets through.");
    public static final Setting GATE_MAX_LOGLOSS_RISE = Setting.nonNegativeDouble(
            "streamfm.model.gate.max.logloss.rise", QualityGate.Config.DEFAULT_MAX_LOGLOSS_RISE,
            "Largest rise of the trainer's online logloss above the best recent version that the gate lets through.");
    public static final Setting GATE_HISTORY_MS = Setting.millis("streamfm.model.gate.history.ms",
            Duration.ofMillis(QualityGate.Config.DEFAULT_HISTORY_MS), 1,
            "Accepted versions written this long before a new one are the ones it is compared with; a drop that "
                    + "outlasts it is taken as the new normal.");
    public static final Setting GATE_MIN_EXAMPLES = Setting.nonNegativeLong("streamfm.model.gate.min.examples",
            QualityGate.Config.DEFAULT_MIN_EXAMPLES,
            "Examples the trainer's online figures must cover before the gate judges a version (or compares with "
                    + "it); at most streamfm.metrics.window counts.");
    public static final Setting GATE_PIN = new Setting("streamfm.model.gate.pin", "", "empty or an integer >= 0",
            v -> v.isBlank() || v.trim().matches("[0-9]{1,18}"),
            "Pin (roll back) a scorer to this model version: it starts with that version, rebuilt from the model "
                    + "topic, and applies no later one; empty = no pin.");
    public static final Setting SCORING_BATCH = Setting.positiveInt("streamfm.scoring.batch.size", 256,
            "Events per inference call; a batch also closes after streamfm.scoring.batch.max.ms.");
    public static final Setting SCORING_MAX_MS = Setting.millis(
            "streamfm.scoring.batch.max.ms", Duration.ofMillis(5), 1,
            "Longest an event waits for its batch to fill.");
    public static final Setting SCORING_MODEL_COPIES = Setting.intInRange("streamfm.scoring.model.copies", 2, 1, 2,
            "Copies of the model a scorer keeps: with 2, updates are written into the copy not being served and "
                    + "swapped in, so scoring never waits for one; 1 halves the scorer's model memory, and scoring "
                    + "pauses while each update is written.");
    public static final Setting TRAINING_BATCH = Setting.positiveInt("streamfm.training.batch.size", 256,
            "Examples per training step.");
    public static final Setting TRAINING_MAX_MS = Setting.millis(
            "streamfm.training.batch.max.ms", Duration.ofSeconds(1), 0,
            "Longest an example waits for its training batch to fill; 0 = batches close by count only.");
    public static final Setting CHECKPOINT_MS = Setting.millis(
            "streamfm.training.checkpoint.interval.ms", Duration.ofMillis(500), 1,
            "How often the trainer publishes changed model blocks (bounds model freshness).");
    public static final Setting TRAINING_COMMIT_MS = Setting.millis(
            "streamfm.training.commit.interval.ms", Duration.ofMillis(500), 1,
            "The trainer's Kafka Streams commit interval. Its only output, the model blocks, comes at checkpoints, so "
                    + "committing more often than it checkpoints costs transactions and makes no model fresher.");
    public static final Setting BLOCK_ROWS = Setting.positiveInt("streamfm.training.block.rows", 256,
            "Table rows per model block on the model topic.");
    public static final Setting ANALYSIS_EVERY = Setting.nonNegativeLong("streamfm.analysis.every",
            AnalysisCadence.DEFAULTS.every(), "Analyse gradients every k-th training step; 0 = off.");
    public static final Setting ANALYSIS_LAYERS_EVERY = Setting.positiveLong("streamfm.analysis.layers.every",
            AnalysisCadence.DEFAULTS.layersEvery(), "Of the analysed steps, every k-th also computes the layer "
                    + "statistics (importance, gradient, parameter and update norms of every variable): they read "
                    + "every weight and cost several times the conflict figures; 1 = every analysed step.");
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
    public static final Setting LABEL_IDLE_MS = Setting.millis(
            "streamfm.labeling.labels.idle.ms", Duration.ofMinutes(5), 0,
            "While a partition's labels flow, no window closes past the newest label's time, so a label read "
                    + "after events stamped later (Kafka Streams orders two topics only loosely under load) still "
                    + "finds its event; labels silent this long (wall clock) stop holding windows open. 0 = windows "
                    + "close on event time alone.");
    public static final Setting FEEDBACK = Setting.oneOf("streamfm.labeling.feedback",
            DelayedFeedback.WINDOW.label(), Arrays.stream(DelayedFeedback.values()).map(DelayedFeedback::label)
                    .toList(), "window: an example reaches the trainer once, when its attribution window closes; "
                    + "fake-negative: every event at once as a negative, a click again as a positive, with the "
                    + "loss importance-weighted (fresher, README \"Delayed labels\").");
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
            "Kafka Streams commit interval of the scorer (the trainer has its own); under exactly-once, output "
                    + "becomes visible at commits.");
    public static final Setting STATE_DIR = Setting.text("streamfm.state.dir",
            System.getProperty("java.io.tmpdir") + "/streamfm-state", "Kafka Streams state directory.");
    public static final Setting THREADS = Setting.positiveInt("streamfm.stream.threads", 2,
            "Stream threads per application: under exactly-once one thread scores while another waits for its "
                    + "commit (see README, bench pipeline).");
    public static final Setting METRICS_BIND = Setting.text("streamfm.metrics.bind", "127.0.0.1",
            "Address of the metrics and probe endpoint: 127.0.0.1 = this host only; 0.0.0.0 = every interface "
                    + "(containers, to be scraped and probed from outside).");
    public static final Setting METRICS_PORT = Setting.intInRange("streamfm.metrics.port", 9400, 0, 65535,
            "Port of the Prometheus endpoint (/metrics) and the probes (/healthz, /readyz); 0 = a free port.");

    /** Every setting by area, in the order `serve --help` lists them; each setting in exactly one group. */
    public static final List<SettingGroup> GROUPS = List.of(
            SettingGroup.of("Topics", TOPIC_PREFIX, PARTITIONS, REPLICATION, OUTPUT_FORMAT),
            SettingGroup.of("Model", MODEL_NAME, MODEL_TYPE, TOWERS, SHAPE, SPEC_FILE, EMBEDDING_DIM, HIDDEN_UNITS,
                    CIN_LAYERS, ATTENTION_LAYERS, ATTENTION_HEADS, SHARING, DECOUPLING_EVERY,
                    DECOUPLING_WINDOW, DECOUPLING_THRESHOLD, OPTIMIZER, EMBEDDING_LR, INIT_ACCUMULATOR,
                    SQUARED_GRADIENTS, DENSE_LR, L1, L2, ADMISSION_MIN_COUNT, EXPIRY_EXAMPLES, DROPOUT, BATCH_NORM,
                    SEED, MODEL_INIT),
            SettingGroup.of("Model quality gate", GATE_ENABLED, GATE_MAX_AUC_DROP, GATE_MAX_LOGLOSS_RISE,
                    GATE_HISTORY_MS, GATE_MIN_EXAMPLES, GATE_PIN),
            SettingGroup.of("Scoring", SCORING_BATCH, SCORING_MAX_MS, SCORING_MODEL_COPIES),
            SettingGroup.of("Training", TRAINING_BATCH, TRAINING_MAX_MS, CHECKPOINT_MS, TRAINING_COMMIT_MS, BLOCK_ROWS),
            SettingGroup.of("Labeling", ATTRIBUTION_MS, GRACE_MS, LABEL_IDLE_MS, FEEDBACK, MAX_FUTURE_MS, MAX_SKEW_MS, MAX_AGE_MS),
            SettingGroup.of("Analysis", ANALYSIS_EVERY, ANALYSIS_LAYERS_EVERY, ANALYSIS_WINDOW),
            SettingGroup.of("Metrics", METRICS_WINDOW, METRICS_BIND, METRICS_PORT),
            SettingGroup.of("Kafka Streams", APPLICATION_ID, GUARANTEE, COMMIT_MS, STATE_DIR, THREADS));

    public static final List<Setting> ALL = GROUPS.stream().flatMap(g -> g.settings().stream()).toList();

    private Settings() {
    }

    /** The scorer's quality gate. */
    public static QualityGate.Config gate(StreamfmConfig cfg) {
        String pin = cfg.get(GATE_PIN).trim();
        return new QualityGate.Config(cfg.getBoolean(GATE_ENABLED), cfg.getDouble(GATE_MAX_AUC_DROP),
                cfg.getDouble(GATE_MAX_LOGLOSS_RISE), cfg.getLong(GATE_HISTORY_MS), cfg.getLong(GATE_MIN_EXAMPLES),
                pin.isEmpty() ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(Long.parseLong(pin)));
    }

    private static boolean towerList(String v) {
        try {
            Tower.parseList(v);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
