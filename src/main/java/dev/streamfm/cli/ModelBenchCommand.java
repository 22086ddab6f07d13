package dev.streamfm.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamfm.bench.ProcessSample;
import dev.streamfm.model.AdmissionConfig;
import dev.streamfm.model.AnalysisCadence;
import dev.streamfm.model.ModelBenchmark;
import dev.streamfm.model.ModelType;
import dev.streamfm.synth.SynthShape;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code bench model}: raw in-process train and inference throughput, and the cost of gradient analysis. */
@Command(name = "model", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Raw in-process TensorFlow throughput per shape and batch size: train steps and inference in "
                + "examples/s, and the throughput of training with gradient analysis (conflicts on every step and "
                + "layer statistics on every 10th analysed one; everything on every step; the service's default "
                + "cadence) and of a model with feature admission and expiry on, as ratios against plain training, "
                + "interleaved in one run. Inputs are Zipf-distributed rows generated before timing; warm-up steps "
                + "are excluded. Run it on a fixed, pre-touched heap (-Xms = -Xmx, -XX:+AlwaysPreTouch): on a "
                + "growing heap the first touch of new memory is part of every figure.",
        footer = {"", "Examples:",
                "  streamfm bench model",
                "  streamfm bench model --shapes frappe-like --batches 512,2048 --seconds 5 --json"})
public final class ModelBenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--shapes", split = ",", paramLabel = "SHAPE", converter = ShapeConverter.class,
            defaultValue = "frappe-like,criteo-like", description = "Workload shapes (default: ${DEFAULT-VALUE}).")
    List<SynthShape> shapes;

    @Option(names = "--batches", split = ",", paramLabel = "SIZE", defaultValue = "128,512,2048,8192",
            description = "Batch sizes (default: ${DEFAULT-VALUE}).")
    List<Integer> batches;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "" + ModelBenchmark.DEFAULT_PHASE_SECONDS,
            description = "Time per measured phase and cell, shared by the --models: inference gets S, the five "
                    + "interleaved training variants 5*S together (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--models", paramLabel = "N", defaultValue = "" + ModelBenchmark.DEFAULT_MODELS,
            description = "Fresh models (TensorFlow sessions) each cell is measured on, sharing its time; every figure "
                    + "is the median over them. Two TensorFlow executors of one model differ in speed by up to about "
                    + "10%, drawn anew per session, and the analysis runs on an executor of its own "
                    + "(default: ${DEFAULT-VALUE}).")
    int models;

    @Option(names = "--admission-min-count", paramLabel = "K", defaultValue = "3",
            description = "Sightings before an id gets its own row, in the admitted model (default: ${DEFAULT-VALUE}).")
    int admissionMinCount;

    @Option(names = "--expiry-examples", paramLabel = "N", defaultValue = "16384",
            description = "Examples after which an unseen id's row is taken back, in the admitted model; the default "
                    + "is a quarter of the input pool, so rows do expire and get reused (default: ${DEFAULT-VALUE}).")
    long expiryExamples;

    @Option(names = "--model", paramLabel = "TYPE", converter = ModelTypeConverter.class,
            completionCandidates = ModelOptions.Variants.class,
            description = "Model variant: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    ModelType model;

    @Option(names = "--json", description = "End the output with one JSON object on the last line.")
    boolean json;

    @Override
    public Integer call() throws JsonProcessingException {
        if (!(seconds > 0 && seconds <= 600)) {
            throw new ParameterException(spec.commandLine(), "--seconds must be in (0, 600], got " + seconds);
        }
        if (models < 1 || models > 99) {
            throw new ParameterException(spec.commandLine(), "--models must be in 1..99, got " + models);
        }
        for (int b : batches) {
            if (b < 1 || b > 1 << 20) {
                throw new ParameterException(spec.commandLine(), "--batches must be in 1.." + (1 << 20) + ", got " + b);
            }
        }
        AdmissionConfig admission;
        try {
            admission = new AdmissionConfig(admissionMinCount, expiryExamples);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (!admission.enabled()) {
            throw new ParameterException(spec.commandLine(), "the admitted model needs --admission-min-count > 1 or "
                    + "--expiry-examples > 0");
        }
        PrintStream err = System.err;
        if (!ProcessSample.heapFixed()) {
            err.println("[bench model] WARNING the heap is not fixed (-Xms below -Xmx): on a growing heap reading "
                    + "analysis results into fresh memory measured several times slower (README, What gradient "
                    + "analysis costs). Run: java -Xms2g -Xmx2g -XX:+AlwaysPreTouch -jar streamfm.jar bench model");
        }
        ModelBenchmark.Plan plan = new ModelBenchmark.Plan(model, shapes, batches,
                Duration.ofNanos((long) (seconds * 1e9)), Optional.of(admission), models);
        List<ModelBenchmark.Cell> cells = ModelBenchmark.run(plan, line -> err.println("[bench model] " + line));

        PrintStream out = System.out;
        out.printf("bench model: %s, %.1f s per phase on %d fresh model(s), medians over them; ratios are "
                + "throughput vs plain training in the same run; analysis with layer statistics on every %dth "
                + "analysed step unless 'full'; admission: min count %d, expiry %d examples%n", model.label(), seconds,
                models,
                AnalysisCadence.DEFAULTS.layersEvery(), admissionMinCount, expiryExamples);
        TextTable table = new TextTable("shape", "batch", "train ex/s", "ms/step", "infer ex/s",
                "analyze every step", "full every step", "analyze every 10th", "admission on");
        for (ModelBenchmark.Cell c : cells) {
            table.row(c.shape(), c.batchSize(), thousands(c.trainExamplesPerSecond()),
                    String.format(Locale.ROOT, "%.2f", c.trainMillisPerStep()), thousands(c.inferenceExamplesPerSecond()),
                    ratio(c.analyzeEveryStepRatio()), ratio(c.fullEveryStepRatio()), ratio(c.analyzeEvery10Ratio()),
                    ratio(c.admissionRatio()));
        }
        out.print(table.render());
        if (json) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("suite", "model");
            result.put("model", model.label());
            result.put("seconds_per_phase", seconds);
            result.put("models", models);
            result.put("admission_min_count", admissionMinCount);
            result.put("expiry_examples", expiryExamples);
            result.put("cells", cells.stream().map(ModelBenchCommand::jsonCell).toList());
            out.println(new ObjectMapper().writeValueAsString(result));
        }
        return 0;
    }

    private static Map<String, Object> jsonCell(ModelBenchmark.Cell c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("shape", c.shape());
        m.put("batch", c.batchSize());
        m.put("train_examples_per_s", Math.round(c.trainExamplesPerSecond()));
        m.put("train_ms_per_step", c.trainMillisPerStep());
        m.put("inference_examples_per_s", Math.round(c.inferenceExamplesPerSecond()));
        m.put("analyze_every_step_ratio", c.analyzeEveryStepRatio());
        m.put("full_every_step_ratio", c.fullEveryStepRatio());
        m.put("analyze_every_10th_ratio", c.analyzeEvery10Ratio());
        m.put("admission_ratio", c.admissionRatio());
        m.put("train_steps", c.trainSteps());
        return m;
    }

    private static String thousands(double v) {
        return String.format(Locale.ROOT, "%.1fk", v / 1000);
    }

    /** "0.953 (-4.7%)". */
    private static String ratio(double r) {
        return String.format(Locale.ROOT, "%.3f (%+.1f%%)", r, (r - 1) * 100);
    }

    static final class ShapeConverter implements ITypeConverter<SynthShape> {
        @Override
        public SynthShape convert(String value) {
            try {
                return SynthShape.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class ModelTypeConverter implements ITypeConverter<ModelType> {
        @Override
        public ModelType convert(String value) {
            try {
                return ModelType.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
