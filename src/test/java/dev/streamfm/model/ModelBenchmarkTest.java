package dev.streamfm.model;

import dev.streamfm.synth.SynthShape;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelBenchmarkTest {

    @Test
    void aCellOnSeveralModelsIsTheMedianOfEachFigure() {
        List<ModelBenchmark.Cell> models = List.of(
                new ModelBenchmark.Cell("s", 8, 300, 900, 3.0, 0.90, 0.70, 1.10, Double.NaN, 10),
                new ModelBenchmark.Cell("s", 8, 100, 800, 1.0, 1.05, 0.80, 0.95, Double.NaN, 20),
                new ModelBenchmark.Cell("s", 8, 200, 700, 2.0, 0.95, 0.60, 0.99, Double.NaN, 30));
        ModelBenchmark.Cell cell = ModelBenchmark.medianOf(models);
        assertEquals(200, cell.trainExamplesPerSecond());
        assertEquals(800, cell.inferenceExamplesPerSecond());
        assertEquals(2.0, cell.trainMillisPerStep());
        assertEquals(0.95, cell.analyzeEveryStepRatio());
        assertEquals(0.70, cell.fullEveryStepRatio());
        assertEquals(0.99, cell.analyzeEvery10Ratio());
        assertTrue(Double.isNaN(cell.admissionRatio()), "no admitted model on any");
        assertEquals(60, cell.trainSteps(), "steps of every model count");
    }

    @Test
    void everyCellIsMeasuredOnEachModel() {
        List<String> progress = new ArrayList<>();
        SynthShape tiny = new SynthShape("tiny", 3, 20, 32, 4, List.of(8));
        ModelBenchmark.Plan plan = new ModelBenchmark.Plan(ModelType.DEEPFM, List.of(tiny), List.of(16, 32),
                Duration.ofMillis(60), Optional.empty(), 2);
        List<ModelBenchmark.Cell> cells = ModelBenchmark.run(plan, progress::add);
        assertEquals(List.of(16, 32), cells.stream().map(ModelBenchmark.Cell::batchSize).toList());
        for (ModelBenchmark.Cell c : cells) {
            assertTrue(c.trainExamplesPerSecond() > 0 && c.analyzeEveryStepRatio() > 0, c.toString());
        }
        assertTrue(progress.contains("tiny model 2 of 2 batch 32: measuring"), progress.toString());
        assertEquals(1, progress.stream().filter(l -> l.equals("tiny batch 32: generating inputs")).count(),
                "inputs are generated once and shared by the models: " + progress);
        assertThrows(IllegalArgumentException.class, () -> new ModelBenchmark.Plan(ModelType.DEEPFM, List.of(tiny),
                List.of(16), Duration.ofMillis(60), Optional.empty(), 0));
    }
}
