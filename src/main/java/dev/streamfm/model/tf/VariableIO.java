package dev.streamfm.model.tf;

import dev.streamfm.model.LayerKind;
import dev.streamfm.model.ModelState;
import dev.streamfm.model.VariableInfo;
import dev.streamfm.model.VariableValue;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.AssignVariableOp;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.ReadVariableOp;
import org.tensorflow.op.core.VarHandleOp;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Creates the model's variables and moves their values in and out of a session: export, import
 * and row access. All of it uses ops built here once, never per call. Session.save() and
 * SavedModel skip resource variables, hence this.
 *
 * <p>Optimizer slots are initialised apart from the other variables ({@link #initializeSlots}):
 * a model that only scores never gives them memory, which is as much as its tables again (one
 * Adagrad accumulator per weight) or twice as much (FTRL, Adam).
 */
final class VariableIO {

    /** Reset draws offset the seed's second word past every variable index (< this). */
    private static final long RESET_SEED_STRIDE = 1L << 20;

    private final Ops tf;
    private final long seed;
    private final Placeholder<TInt32> rowIds;
    private final Placeholder<TInt64> resetDraw;
    private final List<TfVariable> variables = new ArrayList<>();
    private final Map<String, Operand<TFloat32>> resetValues = new HashMap<>();
    private final List<Op> resets = new ArrayList<>();
    private final List<Op> slotInitializers = new ArrayList<>();

    VariableIO(Ops tf, long seed) {
        this.tf = tf;
        this.seed = seed;
        this.rowIds = tf.withSubScope("row_access").withName("rows").placeholder(TInt32.class,
                Placeholder.shape(Shape.of(-1)));
        this.resetDraw = tf.withSubScope("row_reset").withName("draw").placeholder(TInt64.class,
                Placeholder.shape(Shape.scalar()));
    }

    /** A new variable initialised by {@code init}; {@code name} must be a valid TF op name (no '/'). */
    TfVariable add(String name, LayerKind kind, boolean rowAddressable, InitialValue init, long... shape) {
        return add(name, kind, rowAddressable, false, init, init, shape);
    }

    /**
     * @param reset how rows of a row-addressable variable are initialised again by {@link #resetRows};
     *              random ones draw from (seed, variable index, draw), never the initial values' seed
     */
    private TfVariable add(String name, LayerKind kind, boolean rowAddressable, boolean slot, InitialValue init,
                           InitialValue reset, long... shape) {
        Shape s = Shape.of(shape);
        VarHandleOp handle = tf.withName(name).varHandleOp(TFloat32.class, s, VarHandleOp.sharedName(name));
        // Slots are assigned by a run of their own, after every other variable holds its initial value.
        Ops init0 = slot ? tf.withSubScope("slot_init") : tf.withInitScope();
        Operand<TFloat32> initial = init.build(init0, s, init0.constant(s),
                init0.constant(new long[] {seed, variables.size()}));
        AssignVariableOp assign = init0.assignVariableOp(handle, initial);
        if (slot) {
            slotInitializers.add(assign);
        }
        if (rowAddressable) {
            addReset(name, handle, reset, shape);
        }
        ReadVariableOp<TFloat32> read = tf.readVariableOp(handle, TFloat32.class);
        Ops restoreScope = tf.withSubScope("restore");
        Placeholder<TFloat32> restoreValue = restoreScope.withName(name).placeholder(TFloat32.class,
                Placeholder.shape(s));
        AssignVariableOp restore = restoreScope.assignVariableOp(handle, restoreValue);
        Optional<TfVariable.RowAccess> rows = Optional.empty();
        // Every variable of rank >= 1 can be read and written by row (its first dimension), so a
        // checkpoint moves dense layers in the same blocks as tables; scalars go through restore.
        if (shape.length >= 1) {
            long[] rowShape = shape.clone();
            rowShape[0] = -1;
            Ops rowScope = tf.withSubScope("row_access");
            Placeholder<TFloat32> values = rowScope.withName(name).placeholder(TFloat32.class,
                    Placeholder.shape(Shape.of(rowShape)));
            rows = Optional.of(new TfVariable.RowAccess(rowScope.resourceGather(handle, rowIds, TFloat32.class),
                    values, rowScope.resourceScatterUpdate(handle, rowIds, values)));
        }
        TfVariable v = new TfVariable(new VariableInfo(name, shape.clone(), kind, rowAddressable, slot), handle, read,
                restoreValue, restore, rows);
        variables.add(v);
        return v;
    }

    /** An optimizer slot of {@code owner}: same shape, kind and addressing, named owner.suffix. */
    TfVariable slot(TfVariable owner, String suffix, InitialValue init) {
        VariableInfo o = owner.info();
        return add(o.name() + "." + suffix, o.kind(), o.rowAddressable(), true, init, init, o.shape());
    }

    /**
     * Rows of a row-addressable variable start again as {@code reset} makes them: [n, row...] values
     * scattered into the rows fed to {@link #rowIds}.
     */
    private void addReset(String name, VarHandleOp handle, InitialValue reset, long[] shape) {
        Ops r = tf.withSubScope("row_reset");
        Operand<TInt64> n = r.reshape(r.dtypes.cast(r.size(rowIds), TInt64.class), r.constant(new int[] {1}));
        Operand<TInt64> rowsShape = r.concat(List.of(n, r.constant(Arrays.copyOfRange(shape, 1, shape.length))),
                r.constant(0));
        Operand<TInt64> drawSeed = r.stack(List.of(r.constant(seed), r.math.add(r.constant((long) variables.size()),
                r.math.mul(r.math.add(resetDraw, r.constant(1L)), r.constant(RESET_SEED_STRIDE)))));
        long[] rowShape = shape.clone();
        rowShape[0] = -1;
        Operand<TFloat32> values = reset.build(r, Shape.of(rowShape), rowsShape, drawSeed);
        resetValues.put(name, values);
        resets.add(r.resourceScatterUpdate(handle, rowIds, values));
    }

    /**
     * A slot whose initial value is a function of its owner's: for optimizer state that must agree
     * with the weights it starts from. Slots initialise after their owners ({@link #initializeSlots}),
     * so it reads the owner's weights instead of drawing them again.
     */
    TfVariable derivedSlot(TfVariable owner, String suffix,
                           BiFunction<Ops, Operand<TFloat32>, Operand<TFloat32>> fromOwnerInitial) {
        Operand<TFloat32> ownerReset = resetValues.get(owner.name());
        VariableInfo o = owner.info();
        return add(o.name() + "." + suffix, o.kind(), o.rowAddressable(), true,
                (init, shape, dims, seed) -> fromOwnerInitial.apply(init, owner.read()),
                (tf, shape, dims, seed) -> fromOwnerInitial.apply(tf, ownerReset), o.shape());
    }

    /** Gives every optimizer slot its initial value: a model that trains needs them, one that scores never does. */
    void initializeSlots(Session session) {
        if (!slotInitializers.isEmpty()) {
            Session.Runner runner = session.runner();
            slotInitializers.forEach(runner::addTarget);
            runner.run();
        }
    }

    List<VariableInfo> infos() {
        return variables.stream().map(TfVariable::info).toList();
    }

    ModelState export(Session session, long step) {
        Session.Runner runner = session.runner();
        variables.forEach(v -> runner.fetch(v.read()));
        try (Result result = runner.run()) {
            List<VariableValue> values = new ArrayList<>(variables.size());
            for (int i = 0; i < variables.size(); i++) {
                VariableInfo info = variables.get(i).info();
                values.add(new VariableValue(info.name(), info.shape().clone(), Tensors.floats(result.get(i))));
            }
            return new ModelState(step, values);
        }
    }

    /**
     * Assigns every variable from {@code state} in one run, or, without {@code slots}, every one but
     * the optimizer slots; validates names and shapes first.
     */
    void restore(Session session, ModelState state, boolean slots) {
        List<TfVariable> restored = variables.stream().filter(v -> slots || !v.info().optimizerSlot()).toList();
        List<float[]> values = new ArrayList<>(restored.size());
        for (TfVariable v : restored) {
            VariableValue value = state.variable(v.name());
            if (!Arrays.equals(value.shape(), v.info().shape()) || value.values().length != v.info().elements()) {
                throw new IllegalArgumentException("model state: variable " + v.name() + " has shape "
                        + Arrays.toString(value.shape()) + " with " + value.values().length + " values, the model needs "
                        + Arrays.toString(v.info().shape()) + "; import a state exported by a model of the same config and layout");
            }
            values.add(value.values());
        }
        List<Tensor> fed = new ArrayList<>(restored.size());
        try {
            Session.Runner runner = session.runner();
            for (int i = 0; i < restored.size(); i++) {
                TfVariable v = restored.get(i);
                TFloat32 t = Tensors.floats(values.get(i), v.info().shape());
                fed.add(t);
                runner.feed(v.restoreValue(), t).addTarget(v.restore());
            }
            runner.run();
        } finally {
            fed.forEach(Tensor::close);
        }
    }

    /**
     * Initialises {@code rows} of every row-addressable variable again, in one run: tables as at
     * creation (random ones with values drawn from {@code draw}) and their optimizer slots to
     * their initial state.
     */
    void resetRows(Session session, int[] rows, long draw) {
        long tableRows = variables.stream().filter(v -> v.info().rowAddressable()).mapToLong(v -> v.info().shape()[0])
                .findFirst().orElse(0);
        BitSet seen = new BitSet();
        for (int r : rows) {
            if (r < 0 || r >= tableRows || seen.get(r)) {
                throw new IllegalArgumentException("resetRows: row " + r + " is outside the tables (0.."
                        + (tableRows - 1) + ") or appears twice");
            }
            seen.set(r);
        }
        if (rows.length == 0 || resets.isEmpty()) {
            return;
        }
        Session.Runner runner = session.runner();
        try (TInt32 ids = Tensors.ints(rows, rows.length); TInt64 d = TInt64.scalarOf(draw)) {
            runner.feed(rowIds, ids).feed(resetDraw, d);
            resets.forEach(runner::addTarget);
            runner.run();
        }
    }

    float[] readRows(Session session, String name, int[] rows) {
        TfVariable v = byName(name);
        checkRows(v, rows);
        if (v.rows().isEmpty()) {
            try (Result result = session.runner().fetch(v.read()).run()) {
                return Tensors.floats(result.get(0));
            }
        }
        try (TInt32 ids = Tensors.ints(rows, rows.length);
             Result result = session.runner().feed(rowIds, ids).fetch(v.rows().orElseThrow().read()).run()) {
            return Tensors.floats(result.get(0));
        }
    }

    void writeRows(Session session, String name, int[] rows, float[] values) {
        TfVariable v = byName(name);
        checkRows(v, rows);
        if (values.length != (long) rows.length * v.width()) {
            throw new IllegalArgumentException("writeRows " + name + ": " + rows.length + " rows of width " + v.width()
                    + " need " + (long) rows.length * v.width() + " values, got " + values.length);
        }
        if (v.rows().isEmpty()) {
            try (TFloat32 t = Tensors.floats(values, v.info().shape())) {
                session.runner().feed(v.restoreValue(), t).addTarget(v.restore()).run();
            }
            return;
        }
        TfVariable.RowAccess access = v.rows().orElseThrow();
        try (TInt32 ids = Tensors.ints(rows, rows.length);
             TFloat32 vals = Tensors.floats(values, rowsShape(v, rows.length))) {
            session.runner().feed(rowIds, ids).feed(access.values(), vals).addTarget(access.write()).run();
        }
    }

    /** The variable's shape with the first dimension replaced by the number of rows. */
    private static long[] rowsShape(TfVariable v, int rows) {
        long[] shape = v.info().shape().clone();
        shape[0] = rows;
        return shape;
    }

    private TfVariable byName(String name) {
        for (TfVariable v : variables) {
            if (v.name().equals(name)) {
                return v;
            }
        }
        throw new IllegalArgumentException("no variable " + name + "; the model has "
                + variables.stream().map(TfVariable::name).toList());
    }

    /** Rows in range and distinct (a scatter with duplicate rows keeps an arbitrary one). */
    private static void checkRows(TfVariable v, int[] rows) {
        long n = v.info().shape().length == 0 ? 1 : v.info().shape()[0];
        BitSet seen = new BitSet();
        for (int r : rows) {
            if (r < 0 || r >= n) {
                throw new IllegalArgumentException("row " + r + " is outside " + v.name() + " (0.." + (n - 1) + ")");
            }
            if (seen.get(r)) {
                throw new IllegalArgumentException("row " + r + " appears twice; pass distinct rows");
            }
            seen.set(r);
        }
    }
}
