package dev.streamfm.model;

import dev.streamfm.features.BatchBuilder;
import dev.streamfm.features.FeatureBatch;
import dev.streamfm.features.FeatureSpec;
import dev.streamfm.features.FeatureStats;
import dev.streamfm.schema.ModelBlock;
import dev.streamfm.synth.SynthConfig;
import dev.streamfm.synth.SynthShape;
import dev.streamfm.synth.SyntheticExample;
import dev.streamfm.synth.SyntheticGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A model rebuilt from a full checkpoint plus later changed-block checkpoints, then trained on,
 * ends bitwise equal to the model that was never interrupted, for every variant: the trainer's
 * recovery relies on it.
 */
class ModelBlocksTest {

    private static final int BATCH = 64;

    @ParameterizedTest
    @EnumSource(ModelType.class)
    void checkpointsThenReplayRecreateTheUninterruptedModelExactly(ModelType type) throws Exception {
        checkpointsThenReplay(ModelConfig.builder(type).sizes(10, List.of(32, 16)).cinLayers(List.of(16, 8)).build());
    }

    /**
     * With admission and expiry the id-to-row state is checkpointed too, and the rows a step
     * reports changed (reset rows and admission state included) are enough for the blocks.
     */
    @Test
    void checkpointsThenReplayRecreateAnAdmittingModelExactly() throws Exception {
        checkpointsThenReplay(ModelConfig.builder(ModelType.DEEPFM).sizes(10, List.of(32, 16))
                .admission(new AdmissionConfig(2, 300)).build());
    }

    private void checkpointsThenReplay(ModelConfig config) throws Exception {
        FeatureSpec spec = FeatureSpec.forShape(SynthShape.FRAPPE_LIKE);
        SyntheticGenerator gen = new SyntheticGenerator(SynthShape.FRAPPE_LIKE, SynthConfig.defaults(9));
        List<FeatureBatch> batches = new ArrayList<>();
        List<float[]> labels = new ArrayList<>();
        BatchBuilder builder = new BatchBuilder(spec, new FeatureStats(), BATCH);
        for (int s = 0; s < 30; s++) {
            builder.clear();
            float[] y = new float[BATCH];
            for (int i = 0; i < BATCH; i++) {
                SyntheticExample ex = gen.example((long) s * BATCH + i);
                builder.add(ex.event());
                y[i] = ex.label();
            }
            batches.add(builder.build());
            labels.add(y);
        }
        try (Model uninterrupted = Models.create(config, spec.layout());
             Model crashed = Models.create(config, spec.layout());
             Model restored = Models.create(config, spec.layout())) {
            // analysis at both depths on some steps: neither may change what a step trains
            AnalysisCadence analysis = new AnalysisCadence(10, 2);
            for (int s = 0; s < 30; s++) {
                uninterrupted.trainStep(batches.get(s), labels.get(s), analysis.at(s));
            }
            List<ModelBlock> store = new ArrayList<>(ModelBlocks.changed(crashed, "m", 7, null, 16, 0));
            BitSet dirty = new BitSet();
            for (int s = 0; s < 17; s++) {
                for (int r : crashed.trainStep(batches.get(s), labels.get(s), analysis.at(s)).changedRows()) {
                    dirty.set(r);
                }
                if (s == 8) {
                    store.addAll(ModelBlocks.changed(crashed, "m", 7, dirty, 16, 0));
                    dirty.clear();
                }
            }
            int fullBlocks = ModelBlocks.changed(crashed, "m", 7, null, 16, 0).size();
            List<ModelBlock> partial = ModelBlocks.changed(crashed, "m", 7, dirty, 16, 0);
            assertTrue(partial.size() < fullBlocks, "a changed-blocks checkpoint is smaller than a full one");
            store.addAll(partial);
            ModelBlocks.applyAll(restored, store);
            restored.setStep(17);
            long expired = 0;
            for (int s = 17; s < 30; s++) {
                expired += restored.trainStep(batches.get(s), labels.get(s), analysis.at(s)).admission()
                        .map(TrainResult.AdmissionCounts::expired).orElse(0);
            }
            assertTrue(!config.admission().expires() || expired > 0, "rows must expire after the restore");
            ModelState expected = uninterrupted.exportState();
            ModelState actual = restored.exportState();
            assertEquals(expected.step(), actual.step());
            for (VariableValue v : expected.variables()) {
                assertArrayEquals(v.values(), actual.variable(v.name()).values(), "variable " + v.name());
            }
        }
    }

    @Test
    void blocksOfAWideLayerStayUnderTheBrokersDefaultMessageLimit() throws Exception {
        FeatureSpec spec = FeatureSpec.forShape(SynthShape.FRAPPE_LIKE);
        ModelConfig config = ModelConfig.builder(ModelType.DEEPFM).sizes(10, List.of(1024, 1024)).build();
        try (Model wide = Models.create(config, spec.layout());
             Model copy = Models.create(config, spec.layout())) {
            List<ModelBlock> blocks = ModelBlocks.changed(wide, "m", 7, null, 256, 0);
            for (ModelBlock b : blocks) {
                assertTrue(b.getValues().remaining() <= 512 * 1024, b.getVariable() + " block " + b.getBlock() + ": "
                        + b.getValues().remaining() + " bytes");
            }
            ModelBlocks.applyAll(copy, blocks);
            for (VariableValue v : wide.exportState().variables()) {
                assertArrayEquals(v.values(), copy.exportState().variable(v.name()).values(), "variable " + v.name());
            }
        }
    }

    @Test
    void uncoveredNamesEveryVariableWithRowsNoBlockHolds() throws Exception {
        FeatureSpec spec = FeatureSpec.forShape(SynthShape.FRAPPE_LIKE);
        ModelConfig config = ModelConfig.builder(ModelType.DEEPFM).sizes(4, List.of(8)).build();
        try (Model model = Models.create(config, spec.layout())) {
            List<ModelBlock> all = ModelBlocks.changed(model, "m", 7, null, 256, 0);
            assertEquals(java.util.Map.of(), ModelBlocks.uncovered(model, all), "a full checkpoint covers every row");

            VariableInfo table = model.variables().stream().filter(VariableInfo::rowAddressable)
                    .filter(v -> v.shape()[0] > 256).findFirst().orElseThrow();
            List<ModelBlock> lacking = new ArrayList<>(all);
            ModelBlock second = all.stream().filter(b -> b.getVariable().equals(table.name()) && b.getBlock() == 1)
                    .findFirst().orElseThrow();
            lacking.remove(second);
            long rowsOfSecond = second.getValues().remaining() / ((long) table.rowWidth() * Float.BYTES);
            assertEquals(java.util.Map.of(table.name(), rowsOfSecond), ModelBlocks.uncovered(model, lacking));
            assertEquals(model.variables().size(), ModelBlocks.uncovered(model, List.of()).size(),
                    "no blocks leave every variable uncovered");
        }
    }
}
