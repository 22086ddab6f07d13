package dev.streamfm.model.tf;

import dev.streamfm.features.FeatureBatch;
import dev.streamfm.features.FeatureLayout;
import dev.streamfm.model.Model;
import dev.streamfm.model.ModelConfig;
import dev.streamfm.model.ModelType;
import dev.streamfm.model.Models;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Native memory stays flat over a long run: every tensor fed or fetched is closed, so 20k training
 * steps (plain and analysed, with predictions in between) keep the process RSS within 100 MB of
 * its size after warm-up. (Measured: about +2 MB once the JVM heap has been through a collection.)
 */
class ModelRssIT {

    private static final int WARM_UP_STEPS = 1_000;
    private static final int STEPS = 20_000;
    private static final long MAX_GROWTH_KB = 100 * 1024;
    private static final int SIZE = 64;
    private static final int BATCHES = 50;

    @Test
    void rssStaysFlatOverTwentyThousandSteps() throws IOException {
        FeatureLayout layout = Fixtures.multiSlot(new int[] {1, 1, 1, 2, 1, 1, 1, 1, 1, 1}, 600);
        ModelConfig config = new ModelConfig(ModelType.DEEPFM, 10, List.of(64, 64, 64), true, 0.1, 0.05, 0.001, 1e-5,
                0.1, 0.01, 1L);
        Random random = new Random(1);
        FeatureBatch[] batches = new FeatureBatch[BATCHES];
        float[][] labels = new float[BATCHES][];
        for (int i = 0; i < BATCHES; i++) {
            batches[i] = Fixtures.batch(layout, SIZE, random, true);
            labels[i] = Fixtures.labels(SIZE, random);
        }
        try (Model model = Models.create(config, layout)) {
            int warmUpEnd = warmUp(model, batches, labels);
            long warm = rssKb();
            run(model, batches, labels, warmUpEnd, warmUpEnd + STEPS);
            long end = rssKb();
            System.out.printf("VmRSS after %d warm-up steps %d MB, after %d more steps %d MB%n", warmUpEnd, warm / 1024,
                    STEPS, end / 1024);
            assertTrue(end - warm <= MAX_GROWTH_KB, "RSS grew by " + (end - warm) / 1024 + " MB over " + STEPS + " steps");
        }
    }

    /**
     * At least {@value #WARM_UP_STEPS} steps and one collection: the JVM's young generation counts
     * in RSS only once first filled (about 100 MB here, some 9k steps), which would otherwise look like growth.
     */
    private static int warmUp(Model model, FeatureBatch[] batches, float[][] labels) {
        long collections = collections();
        int steps = 0;
        while (steps < WARM_UP_STEPS || (collections() == collections && steps < 10 * WARM_UP_STEPS)) {
            run(model, batches, labels, steps, steps + 100);
            steps += 100;
        }
        return steps;
    }

    private static long collections() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionCount).sum();
    }

    /** Analysis on every 10th step and on whole stretches of steps, a prediction every 5th step. */
    private static void run(Model model, FeatureBatch[] batches, float[][] labels, int from, int to) {
        for (int step = from; step < to; step++) {
            int i = step % batches.length;
            boolean analyze = step % 10 == 0 || (step / 1_000) % 4 == 1;
            model.trainStep(batches[i], labels[i], analyze);
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
