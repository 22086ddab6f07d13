package dev.streamfm.model;

import dev.streamfm.features.FeatureBatch;
import dev.streamfm.features.FeatureLayout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Which table row each id is trained on (README, "Feature admission and expiry"). An id is what
 * the features address: its field's hashed bucket, a row index of the layout. Each field's range
 * of rows keeps its first row for "missing" (never remapped) and its second as the shared row of
 * ids not admitted yet; the rest are handed to admitted ids, lowest free row first. A row taken
 * back from an expired id is stale until it is initialised again, which happens, for all stale
 * rows at once, only when a field has no other free row left: one extra TensorFlow run per
 * exhaustion instead of one per step that expires something (a run costs about as much as a
 * tenth of a frappe-like step). Nobody reads a free row, so the deferral changes no prediction.
 * Ids and rows
 * are both indices of the field's range, so the tables keep their shape and checkpoints their
 * blocks; admission decides which ids get a trained row, not how many rows exist.
 *
 * <p>State is plain arrays indexed by id (O(1) per slot on the hot path, nothing allocated per
 * id): sightings, the admitted row, and when the id was last seen, on a clock of training
 * examples; per row, whether it is stale. The free rows and the least-recently-seen order of
 * admitted ids follow from those,
 * so only they are checkpointed (as two float32 variables, {@link #STATE} and {@link #CLOCK}),
 * and the rest is rebuilt after a restore. Everything is a function of the training stream, so
 * a restored model replayed on the same batches maps every id to the same row.
 *
 * <p>Not thread-safe for training; {@link #rowsOf} only reads the id-to-row array, so a
 * prediction concurrent with a step may see an id on its row from before that step.
 */
final class RowAdmission {

    /** Per index [rows, 5]: the id's sightings, admitted row (-1 = shared), last seen (high, low 24 bits); the row's staleness. */
    static final String STATE = "admission";
    /** [2]: training examples seen so far (high, low 24 bits). */
    static final String CLOCK = "admission_clock";
    /** Rows and sightings travel as float32, exact up to 2^24. */
    static final int MAX_ROWS = 1 << 24;

    private static final int STATE_WIDTH = 5;
    private static final int SHARED = -1;
    private static final int LOW_BITS = 24;
    private static final long LOW_MASK = (1L << LOW_BITS) - 1;

    private final AdmissionConfig config;
    private final int[] fieldOfSlot;
    private final int[] fieldOffset;
    private final int[] fieldRows;
    private final int rows;

    private final int[] sightings;
    private final int[] rowOf;
    private final long[] lastSeen;
    private long clock;
    /** Free rows that still hold an expired id's values. */
    private final BitSet stale;

    /** Free rows and the recency list of admitted ids (oldest first), rebuilt from the state above when stale. */
    private final BitSet free;
    private final int[] newer;
    private final int[] older;
    private int oldest = -1;
    private int newest = -1;
    private long rowsInUse;
    private boolean derivedStale = true;

    /** One step's mapping: the batch on table rows, stale rows to initialise again first (sorted), and what changed. */
    record Step(FeatureBatch batch, int[] resetRows, int[] changedRows, TrainResult.AdmissionCounts counts) {
    }

    RowAdmission(AdmissionConfig config, FeatureLayout layout) {
        if (layout.totalRows() > MAX_ROWS) {
            throw new IllegalArgumentException("feature admission handles at most " + MAX_ROWS + " table rows, the "
                    + "layout has " + layout.totalRows() + "; reduce the buckets, or turn admission and expiry off "
                    + "(streamfm.model.admission.min.count=1, streamfm.model.expiry.examples=0)");
        }
        this.config = config;
        this.fieldOfSlot = layout.fieldOfSlot().clone();
        this.fieldOffset = layout.fieldOffset().clone();
        this.fieldRows = layout.fieldRows().clone();
        this.rows = (int) layout.totalRows();
        this.sightings = new int[rows];
        this.rowOf = new int[rows];
        Arrays.fill(rowOf, SHARED);
        this.lastSeen = new long[rows];
        this.free = new BitSet(rows);
        this.stale = new BitSet(rows);
        this.newer = new int[rows];
        this.older = new int[rows];
    }

    /** The rows a prediction reads: admitted ids on their rows, the others on their field's shared row. */
    FeatureBatch rowsOf(FeatureBatch batch) {
        int[] ids = batch.rows();
        int[] mapped = new int[ids.length];
        int slots = batch.slots();
        for (int p = 0, s = 0; p < ids.length; p++, s = s + 1 == slots ? 0 : s + 1) {
            int id = checked(ids[p]);
            int missing = fieldOffset[fieldOfSlot[s]];
            int row = rowOf[id];
            mapped[p] = id == missing ? id : row == SHARED ? missing + 1 : row;
        }
        return new FeatureBatch(batch.size(), slots, mapped, batch.values());
    }

    /**
     * Maps a training batch, counting its sightings: first every admitted id not seen for the
     * expiry span gives its row back (stale), then each occurrence, in batch order, is counted and,
     * at its id's minCount-th sighting, given the lowest free row of its field; when the field has
     * none, every stale row becomes free, to be initialised again before the step trains.
     */
    Step admit(FeatureBatch batch) {
        int[] ids = batch.rows();
        for (int id : ids) {
            checked(id);
        }
        if (derivedStale) {
            rebuild();
        }
        long now = clock;
        IntList expiredIds = new IntList();
        IntList expiredRowList = new IntList();
        if (config.expires()) {
            while (oldest >= 0 && now - lastSeen[oldest] >= config.expiryExamples()) {
                int id = oldest;
                unlink(id);
                expiredIds.add(id);
                expiredRowList.add(rowOf[id]);
                stale.set(rowOf[id]);
                rowOf[id] = SHARED;
                sightings[id] = 0;
            }
        }
        IntList resetList = new IntList();
        long seenAt = now + batch.size();
        int[] mapped = new int[ids.length];
        int admitted = 0;
        int slots = batch.slots();
        for (int p = 0, s = 0; p < ids.length; p++, s = s + 1 == slots ? 0 : s + 1) {
            int id = ids[p];
            int f = fieldOfSlot[s];
            int missing = fieldOffset[f];
            if (id == missing) {
                mapped[p] = id;
                continue;
            }
            int own = rowOf[id];
            if (own != SHARED) {
                // Admitted ids are the hot path: move to the recent end once per step, no counting.
                if (lastSeen[id] != seenAt) {
                    if (id != newest) {
                        unlink(id);
                        link(id);
                    }
                    lastSeen[id] = seenAt;
                }
                mapped[p] = own;
                continue;
            }
            if (config.expires() && now - lastSeen[id] >= config.expiryExamples()) {
                sightings[id] = 0;
            }
            if (sightings[id] < config.minCount()) {
                sightings[id]++;
            }
            if (sightings[id] >= config.minCount()) {
                int end = missing + fieldRows[f];
                int row = free.nextSetBit(missing + 2);
                if ((row < 0 || row >= end) && staleIn(missing + 2, end)) {
                    for (int r = stale.nextSetBit(0); r >= 0; r = stale.nextSetBit(r + 1)) {
                        resetList.add(r);
                    }
                    free.or(stale);
                    stale.clear();
                    row = free.nextSetBit(missing + 2);
                }
                if (row >= 0 && row < end) {
                    free.clear(row);
                    rowOf[id] = row;
                    link(id);
                    admitted++;
                }
            }
            lastSeen[id] = seenAt;
            mapped[p] = rowOf[id] == SHARED ? missing + 1 : rowOf[id];
        }
        clock = seenAt;
        int[] expiredRows = expiredRowList.toArray();
        int[] resetRows = resetList.toArray();
        int[] changed = new int[2 * ids.length + 2 * expiredRows.length + resetRows.length];
        int at = 0;
        for (int[] part : List.of(ids, mapped, expiredIds.toArray(), expiredRows, resetRows)) {
            System.arraycopy(part, 0, changed, at, part.length);
            at += part.length;
        }
        return new Step(new FeatureBatch(batch.size(), slots, mapped, batch.values()), resetRows, changed,
                new TrainResult.AdmissionCounts(admitted, expiredRows.length, resetRows.length, rowsInUse));
    }

    private boolean staleIn(int from, int end) {
        int r = stale.nextSetBit(from);
        return r >= 0 && r < end;
    }

    private int checked(int id) {
        if (id < 0 || id >= rows) {
            throw new IllegalArgumentException("batch row " + id + " is outside the table (0.." + (rows - 1) + ")");
        }
        return id;
    }

    List<VariableInfo> variables() {
        return List.of(new VariableInfo(STATE, new long[] {rows, STATE_WIDTH}, LayerKind.EMBEDDING, true, false),
                new VariableInfo(CLOCK, new long[] {2}, LayerKind.EMBEDDING, false, false));
    }

    boolean owns(String variable) {
        return variable.equals(STATE) || variable.equals(CLOCK);
    }

    List<VariableValue> export() {
        int[] all = IntStream.range(0, rows).toArray();
        return List.of(new VariableValue(STATE, new long[] {rows, STATE_WIDTH}, readRows(STATE, all)),
                new VariableValue(CLOCK, new long[] {2}, readRows(CLOCK, new int[] {0, 1})));
    }

    /** Checks that {@code state} carries this admission's variables in their shapes, before anything is replaced. */
    void checkImport(ModelState state) {
        for (VariableInfo v : variables()) {
            VariableValue value = state.variable(v.name());
            if (!Arrays.equals(value.shape(), v.shape()) || value.values().length != v.elements()) {
                throw new IllegalArgumentException("model state: variable " + v.name() + " has shape "
                        + Arrays.toString(value.shape()) + ", admission needs " + Arrays.toString(v.shape())
                        + "; import a state exported by a model of the same config and layout");
            }
        }
    }

    void importState(ModelState state) {
        writeRows(STATE, IntStream.range(0, rows).toArray(), state.variable(STATE).values());
        writeRows(CLOCK, new int[] {0, 1}, state.variable(CLOCK).values());
    }

    float[] readRows(String variable, int[] ids) {
        if (variable.equals(CLOCK)) {
            float[] out = new float[ids.length];
            for (int i = 0; i < ids.length; i++) {
                out[i] = clockWord(checkClockRow(ids[i]));
            }
            return out;
        }
        float[] out = new float[ids.length * STATE_WIDTH];
        for (int i = 0; i < ids.length; i++) {
            int id = checked(ids[i]);
            int at = i * STATE_WIDTH;
            out[at] = sightings[id];
            out[at + 1] = rowOf[id];
            out[at + 2] = lastSeen[id] >>> LOW_BITS;
            out[at + 3] = lastSeen[id] & LOW_MASK;
            out[at + 4] = stale.get(id) ? 1 : 0;
        }
        return out;
    }

    void writeRows(String variable, int[] ids, float[] values) {
        if (variable.equals(CLOCK)) {
            requireLength(variable, ids.length, values.length, 1);
            long c = clock;
            for (int i = 0; i < ids.length; i++) {
                long word = whole(variable, values[i]);
                c = checkClockRow(ids[i]) == 0 ? (word << LOW_BITS) | (c & LOW_MASK) : (c & ~LOW_MASK) | word;
            }
            clock = c;
            return;
        }
        requireLength(variable, ids.length, values.length, STATE_WIDTH);
        for (int i = 0; i < ids.length; i++) {
            int id = checked(ids[i]);
            int at = i * STATE_WIDTH;
            sightings[id] = (int) whole(variable, values[at]);
            rowOf[id] = (int) whole(variable, values[at + 1]);
            lastSeen[id] = (whole(variable, values[at + 2]) << LOW_BITS) | whole(variable, values[at + 3]);
            stale.set(id, whole(variable, values[at + 4]) != 0);
        }
        derivedStale = true;
    }

    private float clockWord(int row) {
        return row == 0 ? clock >>> LOW_BITS : clock & LOW_MASK;
    }

    private static int checkClockRow(int row) {
        if (row != 0 && row != 1) {
            throw new IllegalArgumentException("row " + row + " is outside " + CLOCK + " (0..1)");
        }
        return row;
    }

    private static void requireLength(String variable, int ids, int values, int width) {
        if (values != (long) ids * width) {
            throw new IllegalArgumentException("writeRows " + variable + ": " + ids + " rows of width " + width
                    + " need " + (long) ids * width + " values, got " + values);
        }
    }

    private static long whole(String variable, float v) {
        if (v != Math.rint(v) || v < -1 || v > MAX_ROWS) {
            throw new IllegalArgumentException(variable + " holds " + v + " where a whole number in -1.." + MAX_ROWS
                    + " belongs; the checkpoint is not an admission state");
        }
        return (long) v;
    }

    /**
     * Free rows and the recency list from the id state, after an import or written rows: every
     * admitted row must lie in its id's field, past the missing and shared rows, belong to one id
     * only and not be stale.
     */
    private void rebuild() {
        free.clear();
        for (int f = 0; f < fieldOffset.length; f++) {
            if (fieldRows[f] > 2) {
                free.set(fieldOffset[f] + 2, fieldOffset[f] + fieldRows[f]);
            }
        }
        free.andNot(stale);
        List<Integer> admitted = new ArrayList<>();
        for (int f = 0; f < fieldOffset.length; f++) {
            int first = fieldOffset[f];
            int end = first + fieldRows[f];
            for (int id = first; id < end; id++) {
                int row = rowOf[id];
                if (row == SHARED) {
                    continue;
                }
                if (row < first + 2 || row >= end || !free.get(row)) {
                    throw new IllegalStateException("admission state maps id " + id + " to row " + row + ", which is "
                            + "not a free, initialised row of its field (" + (first + 2) + ".." + (end - 1) + ")");
                }
                free.clear(row);
                admitted.add(id);
            }
        }
        admitted.sort(Comparator.<Integer>comparingLong(id -> lastSeen[id]).thenComparing(id -> id));
        oldest = -1;
        newest = -1;
        rowsInUse = 0;
        admitted.forEach(this::link);
        derivedStale = false;
    }

    /** Appends an admitted id as the most recently seen. */
    private void link(int id) {
        older[id] = newest;
        newer[id] = -1;
        if (newest >= 0) {
            newer[newest] = id;
        } else {
            oldest = id;
        }
        newest = id;
        rowsInUse++;
    }

    /** A growable int array: expiries of one step, without boxing. */
    private static final class IntList {
        private int[] values = new int[16];
        private int size;

        void add(int v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, 2 * size);
            }
            values[size++] = v;
        }

        int[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }

    private void unlink(int id) {
        if (older[id] >= 0) {
            newer[older[id]] = newer[id];
        } else {
            oldest = newer[id];
        }
        if (newer[id] >= 0) {
            older[newer[id]] = older[id];
        } else {
            newest = older[id];
        }
        rowsInUse--;
    }
}
