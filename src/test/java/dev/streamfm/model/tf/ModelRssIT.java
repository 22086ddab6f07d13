package dev.streamfm.model.tf;

import dev.streamfm.features.FeatureBatch;
import dev.streamfm.features.FeatureLayout;
import dev.streamfm.model.AnalysisLevel;
import dev.streamfm.model.Model;
import dev.streamfm.model.ModelConfig;
import dev.streamfm.model.ModelType;
import dev.streamfm.model.Models;
import dev.streamfm.model.SparseOptimizer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Native memory stays flat over a long run: every tensor fed or fetched is closed, so 20k training
 * steps (plain and analysed, with predictions in between) keep the process RSS within 100 MB of
 * its size after 1k warm-up steps.
 *
 * <p>The steps run in a child JVM whose heap is fixed and touched up front (-Xms = -Xmx,
 * AlwaysPreTouch): a heap that grows into fresh pages would otherwise show as RSS growth that has
 * nothing to do with native memory. Batches of 256 make the input tensors ~25 KB a step, so
 * leaving them unclosed fails this test (measured: +149 MB), as does any leak above ~5 KB a step;
 * healthy runs grow by about 6 MB.
 */
class ModelRssIT {

    private static final int WARM_UP_STEPS = 1_000;
    private static final int STEPS = 20_000;
    private static final long MAX_GROWTH_KB = 100 * 1024;
    private static final int SIZE = 256;
    private static final int BATCHES = 50;

    @Test
    void rssStaysFlatOverTwentyThousandSteps() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch",
                "-cp", System.getProperty("java.class.path"), ModelRssIT.class.getName())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(child.waitFor(5, TimeUnit.MINUTES), "child did not finish");
        assertEquals(0, child.exitValue(), "child failed: " + out);
        String[] kb = out.lines().reduce((a, b) -> b).orElseThrow().split(" ");
        long warm = Long.parseLong(kb[0]);
        long end = Long.parseLong(kb[1]);
        System.out.printf("VmRSS after %d warm-up steps %d MB, after %d more steps %d MB%n", WARM_UP_STEPS,
                warm / 1024, STEPS, end / 1024);
        assertTrue(end - warm <= MAX_GROWTH_KB, "RSS grew by " + (end - warm) / 1024 + " MB over " + STEPS + " steps");
    }

    /** The child: prints "rssAfterWarmUpKb rssAtEndKb". */
    public static void main(String[] args) throws IOException {
        FeatureLayout layout = Fixtures.multiSlot(new int[] {1, 1, 1, 2, 1, 1, 1, 1, 1, 1}, 600);
        ModelConfig config = ModelConfig.builder(ModelType.DEEPFM).sizes(10, List.of(64, 64, 64)).batchNorm(true)
                .dropout(0.1).optimizer(SparseOptimizer.ADAGRAD).embeddingLr(0.05).denseLr(0.001).l2(1e-5)
                .initAccumulator(0.1).initStddev(0.01).seed(1L).build();
        Random random = new Random(1);
        FeatureBatch[] batches = new FeatureBatch[BATCHES];
        float[][] labels = new float[BATCHES][];
        for (int i = 0; i < BATCHES; i++) {
            batches[i] = Fixtures.batch(layout, SIZE, random, true);
            labels[i] = Fixtures.labels(SIZE, random);
        }
        try (Model model = Models.create(config, layout)) {
            run(model, batches, labels, 0, WARM_UP_STEPS);
            long warm = rssKb();
            run(model, batches, labels, WARM_UP_STEPS, WARM_UP_STEPS + STEPS);
            System.out.println(warm + " " + rssKb());
        }
    }

    /** Analysis on every 10th step and on whole stretches of steps, a prediction every 5th step. */
    private static void run(Model model, FeatureBatch[] batches, float[][] labels, int from, int to) {
        for (int step = from; step < to; step++) {
            int i = step % batches.length;
            boolean analyze = step % 10 == 0 || (step / 1_000) % 4 == 1;
            model.trainStep(batches[i], labels[i], analyze ? AnalysisLevel.FULL : AnalysisLevel.OFF);
            if (step % 5 == 0) {
                model.predict(batches[(i + 1) % batches.length]);
            }
        }
    }

    private static long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
