package dev.streamfm.cli;

import dev.streamfm.model.AdmissionConfig;
import dev.streamfm.model.DecouplingRule;
import dev.streamfm.model.EmbeddingSharing;
import dev.streamfm.model.ModelConfig;
import dev.streamfm.model.ModelType;
import dev.streamfm.model.SparseOptimizer;
import dev.streamfm.model.SquaredGradients;
import dev.streamfm.model.Tower;
import dev.streamfm.synth.SynthShape;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.lang.reflect.Field;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The model an offline command trains (eval, analyze), with the sizes of a synthetic shape as
 * defaults. Help texts show the defaults of {@link ModelConfig} and the variants of
 * {@link ModelType} ({@link Defaults}, {@link Variants}); an option left out keeps the builder's
 * default.
 */
final class ModelOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--model", paramLabel = "TYPE", completionCandidates = Variants.class,
            description = "model variant: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}; README, Model variants)")
    String model;

    @Option(names = "--towers", split = ",", paramLabel = "TOWER",
            description = "towers, where the variant lets them be switched, e.g. attention,fm "
                    + "(default: the variant's own)")
    List<String> towers;

    @Option(names = "--batch", defaultValue = "256", description = "micro-batch size (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--embedding-dim", description = "D (default: the shape's with --synth, else ${DEFAULT-VALUE})")
    Integer embeddingDim;

    @Option(names = "--hidden", split = ",", paramLabel = "UNITS",
            description = "DNN widths (default: the shape's with --synth, else ${DEFAULT-VALUE})")
    List<Integer> hidden;

    @Option(names = "--cin-layers", split = ",", paramLabel = "MAPS",
            description = "feature maps per CIN layer, split-half (default: ${DEFAULT-VALUE})")
    List<Integer> cinLayers;

    @Option(names = "--attention-layers", description = "self-attention layers (default: ${DEFAULT-VALUE})")
    Integer attentionLayers;

    @Option(names = "--attention-heads",
            description = "heads per self-attention layer, each D wide (default: ${DEFAULT-VALUE})")
    Integer attentionHeads;

    @Option(names = "--sharing", paramLabel = "shared|pcgrad|decoupled|auto",
            description = "how towers share the field embeddings: one table, one with PCGrad projection of "
                    + "conflicting tower gradients, one per tower, or one until a field's tower gradients keep "
                    + "conflicting and then separate rows for that field (default: the variant's own; README, "
                    + "Conflict mitigation)")
    String sharing;

    @Option(names = "--decoupling-every", paramLabel = "K",
            description = "sharing auto: compare the towers' gradients per field every K-th step "
                    + "(default: ${DEFAULT-VALUE})")
    Integer decouplingEvery;

    @Option(names = "--decoupling-window", paramLabel = "N",
            description = "sharing auto: observations of a field per decision (default: ${DEFAULT-VALUE})")
    Integer decouplingWindow;

    @Option(names = "--decoupling-threshold", paramLabel = "SHARE",
            description = "sharing auto: decouple a field whose share of conflicting observations is above SHARE; "
                    + "1 = never (default: ${DEFAULT-VALUE})")
    Double decouplingThreshold;

    @Option(names = "--optimizer", paramLabel = "adagrad|ftrl",
            description = "optimizer of the tables, per-example updates (default: ${DEFAULT-VALUE})")
    String optimizer;

    @Option(names = "--lr", description = "learning rate of the table optimizer (default: ${DEFAULT-VALUE})")
    Double embeddingLr;

    @Option(names = "--dense-lr", description = "Adam learning rate of the dense layers (default: ${DEFAULT-VALUE})")
    Double denseLr;

    @Option(names = "--l1", description = "FTRL L1 strength on the tables, ftrl only (default: ${DEFAULT-VALUE})")
    Double l1;

    @Option(names = "--l2", description = "L2 penalty on the table rows a batch reads (default: ${DEFAULT-VALUE})")
    Double l2;

    @Option(names = "--dropout", description = "dropout rate of the hidden layers (default: ${DEFAULT-VALUE})")
    Double dropout;

    @Option(names = "--batch-norm", description = "batch normalisation after each hidden layer")
    boolean batchNorm;

    @Option(names = "--init-accumulator",
            description = "initial accumulator of the table optimizer (default: ${DEFAULT-VALUE})")
    Double initAccumulator;

    @Option(names = "--squared-gradients", paramLabel = "batch|example|first-order",
            description = "what the table optimizer's accumulator adds: the square of a row's gradient summed over "
                    + "the batch, the sum of its per-example squares, or those for the bias and first-order tables "
                    + "only (default: ${DEFAULT-VALUE}; README, Defaults and why)")
    String squaredGradients;

    @Option(names = "--init-stddev", description = "stddev of the embedding initialisation (default: ${DEFAULT-VALUE})")
    Double initStddev;

    @Option(names = "--admission-min-count", paramLabel = "K",
            description = "sightings before an id gets its own table row; 1 = at once (default: ${DEFAULT-VALUE})")
    Integer admissionMinCount;

    @Option(names = "--expiry-examples", paramLabel = "N",
            description = "an id unseen for N training examples gives its row back; 0 = never "
                    + "(default: ${DEFAULT-VALUE})")
    Long expiryExamples;

    @Option(names = "--model-seed", description = "seed of the model's initialisation (default: ${DEFAULT-VALUE})")
    Long modelSeed;

    private boolean given(String option) {
        return mixee != null && mixee.commandLine() != null && mixee.commandLine().getParseResult() != null
                && mixee.commandLine().getParseResult().hasMatchedOption(option);
    }

    int batch() {
        InputOptions.require(batch >= 1, "--batch must be >= 1, got " + batch);
        return batch;
    }

    /** The default configuration of a model type on a synthetic shape (its sizes) or a file (the builder's). */
    static ModelConfig.Builder defaults(ModelType type, Optional<SynthShape> shape) {
        ModelConfig.Builder b = ModelConfig.builder(type);
        shape.ifPresent(s -> b.sizes(s.embeddingDim(), s.hiddenUnits()));
        return b;
    }

    ModelConfig config(Optional<SynthShape> shape) {
        return config(model != null ? ModelType.parse(model) : ModelType.DEFAULT, shape);
    }

    /** The configuration of {@code type} with every option given (sizes that were not: the shape's). */
    ModelConfig config(ModelType type, Optional<SynthShape> shape) {
        ModelConfig.Builder b = defaults(type, shape);
        if (towers != null) {
            b.towers(Tower.parseList(String.join(",", towers)));
        }
        // With --synth, sizes not given on the command line are the shape's, not the shown defaults.
        if (embeddingDim != null && (shape.isEmpty() || given("--embedding-dim"))) {
            b.embeddingDim(embeddingDim);
        }
        if (hidden != null && (shape.isEmpty() || given("--hidden"))) {
            b.hiddenUnits(hidden);
        }
        if (cinLayers != null) {
            b.cinLayers(cinLayers);
        }
        if (attentionLayers != null) {
            b.attentionLayers(attentionLayers);
        }
        if (attentionHeads != null) {
            b.attentionHeads(attentionHeads);
        }
        b.batchNorm(batchNorm);
        if (sharing != null) {
            b.sharing(EmbeddingSharing.parse(sharing));
        }
        if (decouplingEvery != null || decouplingWindow != null || decouplingThreshold != null) {
            DecouplingRule d = ModelConfig.DEFAULTS.decoupling();
            b.decoupling(new DecouplingRule(decouplingEvery != null ? decouplingEvery : d.everySteps(),
                    decouplingWindow != null ? decouplingWindow : d.window(),
                    decouplingThreshold != null ? decouplingThreshold : d.threshold()));
        }
        if (optimizer != null) {
            b.optimizer(SparseOptimizer.parse(optimizer));
        }
        apply(embeddingLr, b::embeddingLr);
        apply(denseLr, b::denseLr);
        apply(l1, b::l1);
        apply(l2, b::l2);
        apply(dropout, b::dropout);
        apply(initAccumulator, b::initAccumulator);
        if (squaredGradients != null) {
            b.squaredGradients(SquaredGradients.parse(squaredGradients));
        }
        apply(initStddev, b::initStddev);
        if (modelSeed != null) {
            b.seed(modelSeed);
        }
        if (admissionMinCount != null || expiryExamples != null) {
            AdmissionConfig d = ModelConfig.DEFAULTS.admission();
            b.admission(new AdmissionConfig(admissionMinCount != null ? admissionMinCount : d.minCount(),
                    expiryExamples != null ? expiryExamples : d.expiryExamples()));
        }
        return b.build();
    }

    private static void apply(Double value, java.util.function.DoubleConsumer setter) {
        if (value != null) {
            setter.accept(value);
        }
    }

    private static String joined(List<Integer> units) {
        return units.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    /** The variant labels, for {@code --model}'s help and completion. */
    static final class Variants implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return ModelType.labels().iterator();
        }
    }

    /**
     * The defaults of these options, and of every command's {@code --model}, from
     * {@link ModelConfig#DEFAULTS}: what they are set to when left out and what help shows.
     * Registered once for the whole command line (Main).
     */
    static final class Defaults implements IDefaultValueProvider {

        private static final Map<String, String> BY_OPTION = Map.ofEntries(
                Map.entry("--model", ModelConfig.DEFAULTS.type().label()),
                Map.entry("--embedding-dim", String.valueOf(ModelConfig.DEFAULTS.embeddingDim())),
                Map.entry("--hidden", joined(ModelConfig.DEFAULTS.hiddenUnits())),
                Map.entry("--cin-layers", joined(ModelConfig.DEFAULTS.cinLayers())),
                Map.entry("--attention-layers", String.valueOf(ModelConfig.DEFAULTS.attentionLayers())),
                Map.entry("--attention-heads", String.valueOf(ModelConfig.DEFAULTS.attentionHeads())),
                Map.entry("--decoupling-every", String.valueOf(ModelConfig.DEFAULTS.decoupling().everySteps())),
                Map.entry("--decoupling-window", String.valueOf(ModelConfig.DEFAULTS.decoupling().window())),
                Map.entry("--decoupling-threshold", number(ModelConfig.DEFAULTS.decoupling().threshold())),
                Map.entry("--optimizer", ModelConfig.DEFAULTS.optimizer().label()),
                Map.entry("--lr", number(ModelConfig.DEFAULTS.embeddingLr())),
                Map.entry("--dense-lr", number(ModelConfig.DEFAULTS.denseLr())),
                Map.entry("--l1", number(ModelConfig.DEFAULTS.l1())),
                Map.entry("--l2", number(ModelConfig.DEFAULTS.l2())),
                Map.entry("--dropout", number(ModelConfig.DEFAULTS.dropout())),
                Map.entry("--init-accumulator", number(ModelConfig.DEFAULTS.initAccumulator())),
                Map.entry("--squared-gradients", ModelConfig.DEFAULTS.squaredGradients().label()),
                Map.entry("--init-stddev", number(ModelConfig.DEFAULTS.initStddev())),
                Map.entry("--admission-min-count", String.valueOf(ModelConfig.DEFAULTS.admission().minCount())),
                Map.entry("--expiry-examples", String.valueOf(ModelConfig.DEFAULTS.admission().expiryExamples())),
                Map.entry("--model-seed", String.valueOf(ModelConfig.DEFAULTS.seed())));

        @Override
        public String defaultValue(ArgSpec arg) {
            if (!(arg instanceof OptionSpec option)) {
                return null;
            }
            boolean ours = option.longestName().equals("--model")
                    || arg.userObject() instanceof Field f && f.getDeclaringClass() == ModelOptions.class;
            return ours ? BY_OPTION.get(option.longestName()) : null;
        }

        private static String number(double v) {
            return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
        }
    }
}
