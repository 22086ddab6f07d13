package dev.streamfm.report;

import dev.streamfm.analysis.LayerStat;
import dev.streamfm.analysis.StepAnalysis;
import dev.streamfm.analysis.TowerGradients;
import dev.streamfm.model.LayerKind;
import dev.streamfm.model.TrainResult;
import dev.streamfm.schema.ClickEvent;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/** Hand-made training steps: per-example FM and DNN gradient vectors, reduced the way the model reduces them. */
final class Steps {

    static final List<String> FIELDS = List.of("user", "item", "hour");
    static final int DIM = 3;

    private Steps() {
    }

    /** The per-example gradient vectors of one step, [batch][field][dim]. */
    record Vectors(double[][][] fm, double[][][] dnn) {

        TowerGradients towers(boolean shared) {
            int batch = fm.length;
            int fields = fm[0].length;
            float[] dot = new float[batch * fields];
            float[] fmSq = new float[batch * fields];
            float[] dnnSq = new float[batch * fields];
            for (int b = 0; b < batch; b++) {
                for (int f = 0; f < fields; f++) {
                    int i = b * fields + f;
                    for (int d = 0; d < fm[b][f].length; d++) {
                        dot[i] += (float) (fm[b][f][d] * dnn[b][f][d]);
                        fmSq[i] += (float) (fm[b][f][d] * fm[b][f][d]);
                        dnnSq[i] += (float) (dnn[b][f][d] * dnn[b][f][d]);
                    }
                }
            }
            return new TowerGradients("fm", "dnn", batch, fields, dot, fmSq, dnnSq, shared);
        }
    }

    /** Random vectors with mixed signs; now and then a field gets no DNN gradient in the whole batch. */
    static Vectors randomVectors(Random rnd, int batch) {
        double[][][] fm = new double[batch][FIELDS.size()][DIM];
        double[][][] dnn = new double[batch][FIELDS.size()][DIM];
        int deadField = rnd.nextInt(8) == 0 ? rnd.nextInt(FIELDS.size()) : -1;
        double bias = rnd.nextGaussian();
        for (int b = 0; b < batch; b++) {
            for (int f = 0; f < FIELDS.size(); f++) {
                for (int d = 0; d < DIM; d++) {
                    fm[b][f][d] = rnd.nextGaussian() + bias;
                    dnn[b][f][d] = f == deadField ? 0 : (rnd.nextGaussian() + 0.5 * f) * (1 + f);
                }
            }
        }
        return new Vectors(fm, dnn);
    }

    static List<LayerStat> randomLayers(Random rnd, boolean dnn) {
        List<LayerStat> layers = new ArrayList<>();
        layers.add(stat(rnd, "embedding", LayerKind.EMBEDDING));
        layers.add(stat(rnd, "linear", LayerKind.LINEAR));
        layers.add(stat(rnd, "bias", LayerKind.LINEAR));
        if (dnn) {
            layers.add(stat(rnd, "dnn_0_w", LayerKind.DNN));
            layers.add(stat(rnd, "dnn_0_b", LayerKind.DNN));
            layers.add(stat(rnd, "output_w", LayerKind.OUTPUT));
        }
        return layers;
    }

    private static LayerStat stat(Random rnd, String name, LayerKind kind) {
        return new LayerStat(name, kind, rnd.nextDouble() * 1e-3, rnd.nextDouble(), 1 + rnd.nextDouble(),
                rnd.nextDouble() * 1e-2);
    }

    static double[] randomImportance(Random rnd) {
        return new double[]{rnd.nextDouble(), 0.5 * rnd.nextDouble(), 2 * rnd.nextDouble()};
    }

    static TrainResult result(long step, Optional<TowerGradients> towers, double[] importance, List<LayerStat> layers) {
        int batch = towers.map(TowerGradients::batchSize).orElse(1);
        return new TrainResult(new float[batch], 0.5, Optional.of(new StepAnalysis(step, FIELDS, towers.map(List::of).orElse(List.of()), importance,
                layers)), new int[0], Optional.empty());
    }

    static TrainResult unanalysed(int batch) {
        return new TrainResult(new float[batch], 0.5, Optional.empty(), new int[0], Optional.empty());
    }

    /** Events whose "item" value is drawn from a few values, so per-category figures have several steps each. */
    static List<ClickEvent> events(Random rnd, int batch, String... items) {
        List<ClickEvent> events = new ArrayList<>();
        for (int b = 0; b < batch; b++) {
            Map<String, String> categorical = new HashMap<>();
            categorical.put("user", "u" + rnd.nextInt(50));
            categorical.put("item", items[rnd.nextInt(items.length)]);
            events.add(ClickEvent.newBuilder().setEventId("e" + b).setEventTime(java.time.Instant.ofEpochMilli(0))
                    .setCategorical(categorical).build());
        }
        return events;
    }
}
