package dev.streamfm.model;

import dev.streamfm.analysis.GradientConflict;
import dev.streamfm.analysis.StepAnalysis;
import dev.streamfm.analysis.TowerGradients;
import dev.streamfm.features.FeatureBatch;
import dev.streamfm.features.FeatureLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * Automatic decoupling ({@link EmbeddingSharing#AUTO}; README, "Conflict mitigation"): as the
 * model's {@link DecouplingRule} says, every k-th step the towers' gradients at the field
 * embeddings are compared, field by field and pair by pair, and a field whose pairs point apart
 * (cosine &lt; 0) in more than the threshold share of a window of observations gets separate rows
 * per tower from then on: each tower but the shared table's reader starts from a copy of the shared rows (and
 * their optimizer slots) and learns on its own.
 *
 * <p>The decision state is a variable of the graph, {@link #STATE} [fields, {@link #STATE_WIDTH}]:
 * decoupled (0 or 1), conflicting observations and observations in the current window. So it
 * travels in checkpoints and model blocks like any table, and a restored model replayed on the
 * same batches decides at the same steps: crash recovery stays exact.
 */
public final class AutoDecoupledModel extends ForwardingModel {

    public static final String STATE = "decoupling.fields";
    public static final int STATE_WIDTH = 3;
    /** Column of {@link #STATE}: 1 once the field has separate rows per tower. */
    public static final int DECOUPLED = 0;
    private static final int CONFLICTING = 1;
    private static final int OBSERVED = 2;

    private static final Logger LOG = LoggerFactory.getLogger(AutoDecoupledModel.class);
    private static final String SHARED_TABLE = "embedding";

    private final DecouplingRule rule;
    private final int[] allFields;

    AutoDecoupledModel(Model tables) {
        super(requireAuto(tables));
        this.rule = tables.config().decoupling();
        this.allFields = IntStream.range(0, tables.layout().fields()).toArray();
    }

    private static Model requireAuto(Model tables) {
        if (tables.config().sharing() != EmbeddingSharing.AUTO) {
            throw new IllegalArgumentException("automatic decoupling needs a model built with sharing auto");
        }
        return tables;
    }

    /** Whether each field has separate rows per tower now. */
    public boolean[] decoupled() {
        float[] state = tables.readRows(STATE, allFields);
        boolean[] out = new boolean[allFields.length];
        for (int f = 0; f < out.length; f++) {
            out[f] = state[f * STATE_WIDTH + DECOUPLED] == 1f;
        }
        return out;
    }

    @Override
    public synchronized TrainResult trainStep(FeatureBatch batch, float[] labels, AnalysisLevel analysis) {
        boolean observe = tables.step() % rule.everySteps() == 0;
        // the decision reads the conflicts only
        TrainResult r = tables.trainStep(batch, labels,
                observe ? analysis.atLeast(AnalysisLevel.CONFLICTS) : analysis);
        if (!observe || r.analysis().isEmpty()) {
            return r;
        }
        int[] copied = observe(r.analysis().get());
        int[] changed = copied.length == 0 ? r.changedRows() : IntStream.concat(Arrays.stream(r.changedRows()),
                Arrays.stream(copied)).toArray();
        return new TrainResult(r.predictions(), r.loss(), analysis.any() ? r.analysis() : Optional.empty(), changed,
                r.admission());
    }

    /** Counts the step's observations, decides the fields whose window is full; returns the rows copied. */
    private int[] observe(StepAnalysis analysis) {
        FeatureLayout layout = tables.layout();
        float[] state = tables.readRows(STATE, allFields);
        IntStream.Builder copied = IntStream.builder();
        for (int f = 0; f < allFields.length; f++) {
            int at = f * STATE_WIDTH;
            if (state[at + DECOUPLED] == 1f) {
                continue;
            }
            for (TowerGradients pair : analysis.pairs()) {
                Optional<GradientConflict> c = GradientConflict.of(pair.fieldDot(f), pair.fieldFirstNormSq(f),
                        pair.fieldSecondNormSq(f));
                if (c.isPresent()) {
                    state[at + OBSERVED]++;
                    state[at + CONFLICTING] += c.get().conflicting() ? 1 : 0;
                }
            }
            if (state[at + OBSERVED] >= rule.window()) {
                double share = state[at + CONFLICTING] / state[at + OBSERVED];
                if (share > rule.threshold()) {
                    int[] rows = IntStream.range(layout.fieldOffset()[f], layout.fieldOffset()[f]
                            + layout.fieldRows()[f]).toArray();
                    copySharedRows(rows);
                    Arrays.stream(rows).forEach(copied::add);
                    state[at + DECOUPLED] = 1f;
                    LOG.info("Automatic decoupling: field '{}' gets separate rows per tower from step {} (its towers'"
                                    + " gradients conflicted in {} of {} observations)", layout.fieldNames().get(f),
                            tables.step(), (int) state[at + CONFLICTING], (int) state[at + OBSERVED]);
                }
                state[at + CONFLICTING] = 0;
                state[at + OBSERVED] = 0;
            }
        }
        tables.writeRows(STATE, allFields, state);
        return copied.build().toArray();
    }

    /**
     * Each tower table ("fm_embedding", ...) and its optimizer slots take the shared table's
     * values on these rows, so a decoupled tower goes on from where the shared rows were.
     */
    private void copySharedRows(int[] rows) {
        List<String> names = tables.variables().stream().map(VariableInfo::name).toList();
        List<String> towerTables = names.stream().filter(n -> n.endsWith("_" + SHARED_TABLE)).toList();
        for (String source : names) {
            if (!source.equals(SHARED_TABLE) && !source.startsWith(SHARED_TABLE + ".")) {
                continue;
            }
            float[] values = tables.readRows(source, rows);
            String slot = source.substring(SHARED_TABLE.length());
            for (String table : towerTables) {
                if (names.contains(table + slot)) {
                    tables.writeRows(table + slot, rows, values);
                }
            }
        }
    }
}
