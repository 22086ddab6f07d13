package dev.streamfm.stream;

import dev.streamfm.features.BatchBuilder;
import dev.streamfm.features.FeatureBatch;
import dev.streamfm.features.FeatureSpec;
import dev.streamfm.features.FeatureStats;
import dev.streamfm.model.Model;
import dev.streamfm.model.ModelBlocks;
import dev.streamfm.model.ModelConfig;
import dev.streamfm.model.ModelFingerprint;
import dev.streamfm.model.ModelType;
import dev.streamfm.model.ModelUse;
import dev.streamfm.model.Models;
import dev.streamfm.model.VariableInfo;
import dev.streamfm.rejection.RecordRejectedException;
import dev.streamfm.schema.ModelBlock;
import dev.streamfm.synth.SynthConfig;
import dev.streamfm.synth.SynthShape;
import dev.streamfm.synth.SyntheticGenerator;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scorer's replica with one and with two copies of the model: what it serves, and when scoring waits. */
class ModelReplicaTest {

    private static final FeatureSpec SPEC = FeatureSpec.forShape(SynthShape.FRAPPE_LIKE);
    private static final ModelConfig CONFIG = ModelConfig.builder(ModelType.DEEPFM).sizes(8, List.of(16)).build();
    private static final long OWN = ModelFingerprint.of(SPEC, CONFIG);

    /**
     * Updates touch other rows each time, so the copy swapped out must catch up with the blocks
     * it missed: after every update both replicas serve exactly the trainer's model, on the rows of
     * every update so far.
     */
    @Test
    void twoCopiesServeExactlyTheTrainersModelAfterEveryUpdate() throws Exception {
        try (Model trainer = Models.create(CONFIG, SPEC.layout());
             ModelReplica one = replica(1, null, null);
             ModelReplica two = replica(2, null, null)) {
            List<ModelBlock> all = ModelBlocks.changed(trainer, "m", OWN, null, 64, 0);
            one.applyCatchUp(all);
            two.applyCatchUp(all);
            List<FeatureBatch> seen = new ArrayList<>();
            for (int step = 1; step <= 5; step++) {
                FeatureBatch batch = batch(step);
                seen.add(batch);
                trainer.trainStep(batch, labels(batch.size(), step));
                trainer.setStep(step);
                List<ModelBlock> update = ModelBlocks.changed(trainer, "m", OWN, rowsOf(batch), 64, 0);
                one.apply(update);
                two.apply(update);
                assertEquals(step, two.version());
                for (FeatureBatch b : seen) {
                    float[] expected = trainer.predict(b);
                    assertArrayEquals(expected, one.score(b).probabilities(), "one copy, update " + step);
                    ModelReplica.Scored scored = two.score(b);
                    assertArrayEquals(expected, scored.probabilities(), "two copies, update " + step);
                    assertEquals(step, scored.version());
                }
            }
        }
    }

    @Test
    void withTwoCopiesScoringGoesOnWhileAnUpdateIsWritten() throws Exception {
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (Model trainer = Models.create(CONFIG, SPEC.layout());
             ModelReplica two = replica(2, writing, release)) {
            FeatureBatch batch = batch(1);
            float[] before = trainer.predict(batch);
            CompletableFuture<Void> update = startUpdate(trainer, two, batch);
            assertTrue(writing.await(30, TimeUnit.SECONDS), "the update started writing");
            ModelReplica.Scored during = CompletableFuture.supplyAsync(() -> two.score(batch)).get(30, TimeUnit.SECONDS);
            assertEquals(0, during.version(), "served the model it had while the update was written");
            assertArrayEquals(before, during.probabilities());
            release.countDown();
            update.get(30, TimeUnit.SECONDS);
            assertEquals(1, two.score(batch).version());
            assertArrayEquals(trainer.predict(batch), two.score(batch).probabilities());
        }
    }

    @Test
    void withOneCopyScoringWaitsForTheUpdateAndGetsTheNewModel() throws Exception {
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (Model trainer = Models.create(CONFIG, SPEC.layout());
             ModelReplica one = replica(1, writing, release)) {
            FeatureBatch batch = batch(1);
            CompletableFuture<Void> update = startUpdate(trainer, one, batch);
            assertTrue(writing.await(30, TimeUnit.SECONDS), "the update started writing");
            CompletableFuture<ModelReplica.Scored> scoring = CompletableFuture.supplyAsync(() -> one.score(batch));
            Thread.sleep(300);
            assertFalse(scoring.isDone(), "no batch is scored by a half-written model");
            release.countDown();
            update.get(30, TimeUnit.SECONDS);
            ModelReplica.Scored after = scoring.get(30, TimeUnit.SECONDS);
            assertEquals(1, after.version());
            assertArrayEquals(trainer.predict(batch), after.probabilities());
        }
    }

    /** Inference reads no optimizer state: the slots' blocks are not written, every other variable is. */
    @Test
    void writesWhatInferenceReadsAndNoOptimizerSlot() throws Exception {
        List<String> written = new CopyOnWriteArrayList<>();
        try (Model trainer = Models.create(CONFIG, SPEC.layout());
             ModelReplica replica = new ModelReplica(recordingWrites(Models.create(CONFIG, SPEC.layout(),
                     ModelUse.SCORING), written),
                     OWN, (b, s) -> {
                     }, r -> {
                     })) {
            FeatureBatch batch = batch(1);
            startUpdate(trainer, replica, batch).get(30, TimeUnit.SECONDS);
            Set<String> slots = trainer.variables().stream().filter(VariableInfo::optimizerSlot)
                    .map(VariableInfo::name).collect(Collectors.toSet());
            Set<String> weights = trainer.variables().stream().filter(v -> !v.optimizerSlot())
                    .map(VariableInfo::name).collect(Collectors.toSet());
            assertFalse(slots.isEmpty(), "Adagrad and Adam keep slots");
            assertEquals(weights, Set.copyOf(written), "every variable but the slots, each written once");
            assertEquals(weights.size(), written.size());
            assertArrayEquals(trainer.predict(batch), replica.score(batch).probabilities());
        }
    }

    @Test
    void keepsOneOrTwoCopies() {
        assertThrows(IllegalArgumentException.class, () -> new ModelReplica(List.of(), OWN, (b, s) -> {
        }, r -> {
        }));
    }

    /** Trains one step on {@code batch} and applies its blocks to {@code replica} in another thread. */
    private static CompletableFuture<Void> startUpdate(Model trainer, ModelReplica replica, FeatureBatch batch) {
        trainer.trainStep(batch, labels(batch.size(), 1));
        trainer.setStep(1);
        List<ModelBlock> update = ModelBlocks.changed(trainer, "m", OWN, rowsOf(batch), 64, 0);
        return CompletableFuture.runAsync(() -> replica.apply(update));
    }

    /**
     * A replica of fresh models; with latches, every copy's row writes announce themselves on
     * {@code writing} and wait for {@code release}.
     */
    private static ModelReplica replica(int copies, CountDownLatch writing, CountDownLatch release) {
        List<Model> models = new ArrayList<>();
        for (int i = 0; i < copies; i++) {
            Model m = Models.create(CONFIG, SPEC.layout(), ModelUse.SCORING);
            models.add(writing == null ? m : heldOnWrite(m, writing, release));
        }
        return new ModelReplica(models, OWN, (b, s) -> {
        }, r -> {
        });
    }

    private static Model heldOnWrite(Model model, CountDownLatch writing, CountDownLatch release) {
        return onWriteRows(model, variable -> {
            writing.countDown();
            if (!release.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
        });
    }

    private static Model recordingWrites(Model model, List<String> written) {
        return onWriteRows(model, written::add);
    }

    /** {@code model}, calling {@code before} with the variable's name ahead of every row write. */
    private static Model onWriteRows(Model model, WriteHook before) {
        return (Model) Proxy.newProxyInstance(Model.class.getClassLoader(), new Class<?>[] {Model.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("writeRows")) {
                        before.accept((String) args[0]);
                    }
                    try {
                        return method.invoke(model, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private interface WriteHook {
        void accept(String variable) throws InterruptedException;
    }

    private static FeatureBatch batch(long seed) throws RecordRejectedException {
        SyntheticGenerator gen = new SyntheticGenerator(SynthShape.FRAPPE_LIKE, SynthConfig.defaults(seed));
        BatchBuilder b = new BatchBuilder(SPEC, new FeatureStats(), 32);
        for (int i = 0; i < 32; i++) {
            b.add(gen.example(i).event());
        }
        return b.build();
    }

    private static float[] labels(int n, long seed) {
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            y[i] = (i + seed) % 3 == 0 ? 1 : 0;
        }
        return y;
    }

    private static BitSet rowsOf(FeatureBatch batch) {
        BitSet rows = new BitSet();
        for (int r : batch.rows()) {
            rows.set(r);
        }
        return rows;
    }
}
