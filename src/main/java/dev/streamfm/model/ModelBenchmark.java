package dev.streamfm.model;

import dev.streamfm.features.FeatureLayout;
import dev.streamfm.synth.SynthShape;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;

/**
 * Raw in-process model throughput: train steps and inference in examples/s per shape and batch
 * size, and what gradient analysis costs, as throughput ratios against plain training measured in
 * the same run, and what feature admission and expiry cost, as the throughput of a second model
 * with them on against plain training. Plain training, the analysis cadences and admitted training
 * alternate in blocks (rotating which goes first), so machine noise hits them alike; a block holds
 * at least ten steps and one whole period of its cadence, so that it has its share of layer
 * statistics. Each round gives a ratio per step against its own plain block; a model's figure is
 * the median over its rounds.
 *
 * <p>A step that fetches a different set of tensors runs on its own TensorFlow executor, and with
 * oneDNN on, two executors of one graph run at speeds up to about 10% apart, drawn anew for every
 * session: fetching one constant more measured 0.86 to 1.14 of plain training over fresh sessions
 * of the same model, while the same executor against itself stays within 1% (README, "What gradient
 * analysis costs"). So every cell is measured on several fresh models, and reports the median over
 * them of each figure.
 */
public final class ModelBenchmark {

    /** Default fresh models per cell (bench model's --models, and the pipeline bench's reference). */
    public static final int DEFAULT_MODELS = 3;
    /** Default time per measured phase and cell, in seconds (bench model's --seconds). */
    public static final int DEFAULT_PHASE_SECONDS = 2;

    /** Fewest steps per block. */
    static final int BLOCK = 10;
    private static final int WARM_UP_STEPS = 3;
    private static final int MIN_ROUNDS = 3;
    private static final int MIN_PREDICTS = 3;
    private static final int POOL_EXAMPLES = 65_536;
    private static final int MIN_POOL_BATCHES = 4;
    private static final double ZIPF_EXPONENT = 1.1;

    /**
     * One measured cell; on several models, each figure is the median over them.
     *
     * @param analyzeEveryStepRatio throughput with analysis on every step, layer statistics on every
     *                              {@link AnalysisCadence#DEFAULTS}-th of them / plain throughput (median over rounds)
     * @param fullEveryStepRatio    throughput with analysis and layer statistics on every step / plain throughput
     * @param analyzeEvery10Ratio   throughput with the service's {@link AnalysisCadence#DEFAULTS} / plain throughput
     * @param admissionRatio        throughput of the model with admission and expiry / plain throughput (median
     *                              over rounds); NaN when the plan has no admitted model
     */
    public record Cell(String shape, int batchSize, double trainExamplesPerSecond, double inferenceExamplesPerSecond,
                       double trainMillisPerStep, double analyzeEveryStepRatio, double fullEveryStepRatio,
                       double analyzeEvery10Ratio, double admissionRatio, long trainSteps) {
    }

    /**
     * @param phase     budget of each measured phase, shared by the models: inference gets one, the
     *                  interleaved training variants one each
     * @param admission what the admitted model runs with (it must be enabled); empty = no admitted model
     * @param models    fresh models (TensorFlow sessions) each cell is measured on
     */
    public record Plan(ModelType type, List<SynthShape> shapes, List<Integer> batchSizes, Duration phase,
                       Optional<AdmissionConfig> admission, int models) {
        public Plan {
            shapes = List.copyOf(shapes);
            batchSizes = List.copyOf(batchSizes);
            if (models < 1) {
                throw new IllegalArgumentException("measure on at least one model per shape, got " + models);
            }
            if (admission.isPresent() && !admission.get().enabled()) {
                throw new IllegalArgumentException("the admitted model needs admission or expiry on, got " + admission);
            }
        }
    }

    private ModelBenchmark() {
    }

    /** Runs every cell of {@code plan}, on fresh models per shape; progress lines go to {@code progress}. */
    public static List<Cell> run(Plan plan, Consumer<String> progress) {
        List<Cell> cells = new ArrayList<>();
        Duration phase = plan.phase().dividedBy(plan.models());
        for (SynthShape shape : plan.shapes()) {
            FeatureLayout layout = layoutOf(shape);
            ModelConfig plain = ModelConfig.builder(plan.type()).sizes(shape.embeddingDim(), shape.hiddenUnits()).build();
            Optional<ModelConfig> admitting = plan.admission().map(a -> plain.toBuilder().admission(a).build());
            Map<Integer, SyntheticBatches> inputs = new HashMap<>();
            Map<Integer, List<Cell>> measured = new LinkedHashMap<>();
            for (int m = 1; m <= plan.models(); m++) {
                String which = shape.name() + (plan.models() == 1 ? "" : " model " + m + " of " + plan.models());
                progress.accept(which + ": building " + plan.type().label() + " over " + layout.totalRows() + " rows");
                try (Model model = Models.create(plain, layout);
                     Model admitted = admitting.map(c -> Models.create(c, layout)).orElse(null)) {
                    for (int size : plan.batchSizes()) {
                        SyntheticBatches batches = inputs.computeIfAbsent(size, s -> {
                            progress.accept(shape.name() + " batch " + s + ": generating inputs");
                            int count = Math.max(MIN_POOL_BATCHES, POOL_EXAMPLES / s);
                            return SyntheticBatches.zipf(layout, s, count, ZIPF_EXPONENT, s);
                        });
                        progress.accept(which + " batch " + size + ": measuring");
                        measured.computeIfAbsent(size, s -> new ArrayList<>())
                                .add(measure(model, admitted, batches, shape.name(), size, phase));
                    }
                }
            }
            measured.values().forEach(c -> cells.add(medianOf(c)));
        }
        return cells;
    }

    /** One cell from the same cell measured on several models: the median of each figure, the steps summed. */
    static Cell medianOf(List<Cell> models) {
        Cell first = models.get(0);
        return new Cell(first.shape(), first.batchSize(), median(models, Cell::trainExamplesPerSecond),
                median(models, Cell::inferenceExamplesPerSecond), median(models, Cell::trainMillisPerStep),
                median(models, Cell::analyzeEveryStepRatio), median(models, Cell::fullEveryStepRatio),
                median(models, Cell::analyzeEvery10Ratio), median(models, Cell::admissionRatio),
                models.stream().mapToLong(Cell::trainSteps).sum());
    }

    static FeatureLayout layoutOf(SynthShape shape) {
        List<String> names = new ArrayList<>();
        int[] rows = new int[shape.fields()];
        for (int f = 0; f < shape.fields(); f++) {
            names.add("f" + f);
            rows[f] = shape.bucketsPerField();
        }
        return FeatureLayout.singleSlot(names, rows);
    }

    private enum Variant {
        PLAIN(AnalysisCadence.OFF),
        EVERY_STEP(new AnalysisCadence(1, AnalysisCadence.DEFAULTS.layersEvery())),
        FULL_EVERY_STEP(AnalysisCadence.full(1)),
        EVERY_10TH(AnalysisCadence.DEFAULTS),
        ADMITTED(AnalysisCadence.OFF);

        final AnalysisCadence cadence;
        final int block;

        Variant(AnalysisCadence cadence) {
            this.cadence = cadence;
            this.block = (int) Math.max(BLOCK, cadence.every() * cadence.layersEvery());
        }
    }

    /** @param admitted the admitted model, or null to measure without it */
    private static Cell measure(Model model, Model admitted, SyntheticBatches inputs, String shape, int size,
                                Duration phase) {
        int next = 0;
        for (int i = 0; i < WARM_UP_STEPS; i++, next++) {
            if (admitted != null) {
                admitted.trainStep(inputs.batch(next), inputs.labels(next));
            }
            model.trainStep(inputs.batch(next), inputs.labels(next));
            model.trainStep(inputs.batch(next), inputs.labels(next), AnalysisLevel.CONFLICTS);
            model.trainStep(inputs.batch(next), inputs.labels(next), AnalysisLevel.FULL);
            model.predict(inputs.batch(next));
        }

        long predicts = 0;
        long start = System.nanoTime();
        long inferenceNanos;
        do {
            model.predict(inputs.batch(next++));
            predicts++;
            inferenceNanos = System.nanoTime() - start;
        } while (predicts < MIN_PREDICTS || inferenceNanos < phase.toNanos());

        Variant[] variants = Arrays.stream(Variant.values()).filter(v -> admitted != null || v != Variant.ADMITTED)
                .toArray(Variant[]::new);
        long[] nanos = new long[Variant.values().length];
        long[] steps = new long[Variant.values().length];
        List<double[]> rounds = new ArrayList<>();
        long trainBudget = phase.toNanos() * variants.length;
        long trainStart = System.nanoTime();
        for (int round = 0; round < MIN_ROUNDS || System.nanoTime() - trainStart < trainBudget; round++) {
            double[] stepNanos = new double[Variant.values().length];
            for (int j = 0; j < variants.length; j++) {
                Variant v = variants[(round + j) % variants.length];
                long t0 = System.nanoTime();
                Model trained = v == Variant.ADMITTED ? admitted : model;
                for (int s = 0; s < v.block; s++, next++) {
                    // the cadence counts the variant's own steps, so each block repeats one period
                    AnalysisLevel level = v.cadence.at(steps[v.ordinal()] + s);
                    trained.trainStep(inputs.batch(next), inputs.labels(next), level);
                }
                long elapsed = System.nanoTime() - t0;
                stepNanos[v.ordinal()] = elapsed / (double) v.block;
                nanos[v.ordinal()] += elapsed;
                steps[v.ordinal()] += v.block;
            }
            double plainStep = stepNanos[Variant.PLAIN.ordinal()];
            rounds.add(new double[] {plainStep / stepNanos[Variant.EVERY_STEP.ordinal()],
                    plainStep / stepNanos[Variant.FULL_EVERY_STEP.ordinal()],
                    plainStep / stepNanos[Variant.EVERY_10TH.ordinal()],
                    admitted == null ? Double.NaN : plainStep / stepNanos[Variant.ADMITTED.ordinal()]});
        }
        int plain = Variant.PLAIN.ordinal();
        long modelSteps = Arrays.stream(Variant.values()).filter(v -> v != Variant.ADMITTED)
                .mapToLong(v -> steps[v.ordinal()]).sum();
        return new Cell(shape, size, steps[plain] * (double) size / (nanos[plain] / 1e9),
                predicts * (double) size / (inferenceNanos / 1e9), nanos[plain] / 1e6 / steps[plain],
                median(rounds, r -> r[0]), median(rounds, r -> r[1]), median(rounds, r -> r[2]), median(rounds, r -> r[3]),
                modelSteps);
    }

    /** Median over rounds or models: a burst of load from elsewhere spoils one of them, not the figure. */
    private static <T> double median(List<T> items, ToDoubleFunction<T> figure) {
        double[] v = items.stream().mapToDouble(figure).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
