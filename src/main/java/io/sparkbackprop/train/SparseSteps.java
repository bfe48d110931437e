package io.sparkbackprop.train;

import io.sparkbackprop.nn.Topology;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Synchronous steps on sparse input with lazy updates of the first layer: what a 2^18-input network needs to take
 * a step in milliseconds. Per step, each task sums its rows' gradient as {@link ColumnSums} (the first layer's touched
 * columns only); the driver adds them in partition order, updates only those columns (with their optimizer slots) and
 * every other parameter, and ships the change as a {@link WeightPatch} that the executors apply to the weights they
 * keep ({@link ShippedWeights}). Rows, batches, dropout keys and the rate are the synchronous mode's.
 * <p>
 * The semantics, stated: a first-layer column whose gradient in a step is all zero (no row of the step has that
 * feature) is left as it is, and so are its optimizer slots; Adam's bias correction counts every step (PyTorch's
 * {@code SparseAdam}); an L2 penalty or weight decay shrinks a column only in the steps that touch it. For SGD
 * without L2 that is exactly the dense update. {@code --sparse-updates exact} (Param sparseUpdates) gives the dense
 * update of every weight every step at the dense cost.
 */
final class SparseSteps implements StepStrategy {
    private final TrainingConfig config;
    private final Topology t;
    private final TrainingSet train;
    private final BatchPlan plan;
    private final double[] w;
    private final Optimizer optimizer;
    private final GradientAdjustment adjustment;
    private final DivergenceGuard guard;
    private final TrainingListener listener;
    private final ShippedWeights shipped;
    private ShippedWeights.Ticket ticket;
    /** The step's summed gradient, dense and zero outside the step's indices (cleared after each step). */
    private final double[] g;
    private final boolean[] touched;
    private final int o;
    private final int n;

    SparseSteps(JavaSparkContext sc, TrainingConfig config, Topology t, TrainingSet train, BatchPlan plan, double[] w,
                Optimizer optimizer, DivergenceGuard guard, TrainingListener listener) {
        this.config = config;
        this.t = t;
        this.train = train;
        this.plan = plan;
        this.w = w;
        this.optimizer = optimizer;
        this.adjustment = config.gradientAdjustment(t);
        this.guard = guard;
        this.listener = listener;
        this.shipped = new ShippedWeights(sc);
        this.ticket = shipped.full(w);
        this.g = new double[t.numParams()];
        this.o = t.layer(0).outputs();
        this.n = t.inputSize();
        this.touched = new boolean[n];
    }

    /** The executors' weights as they stand (for an evaluation job between steps). */
    ShippedWeights.Ticket ticket() {
        return ticket;
    }

    @Override
    public int take(int epoch, int step, EpochTotals totals) {
        int partitions = train.numPartitions();
        ShippedWeights.Ticket now = ticket;
        TrainingConfig c = config;
        Topology topology = t;
        BatchPlan p = plan;
        List<ColumnSums> parts = StepRunner.collect(train, (part, it) -> PartitionPass.columnGradient(it, part, partitions, topology,
                ShippedWeights.weights(now), p, c, epoch, step));
        double lossSum = 0;
        double rows = 0;
        int firstLayer = o * n;
        for (ColumnSums s : parts) {
            lossSum += s.lossSum;
            rows += s.rows;
            s.addFirstLayerInto(g, touched, o);
            for (int i = 0; i < s.rest.length; i++) g[firstLayer + i] += s.rest[i];
        }
        listener.onStep(epoch, step, lossSum, rows);
        int[] columns = ColumnSums.takeNonzeroColumns(touched, g, o);
        if (rows == 0) {
            Arrays.fill(g, 0.0);
            return 1;
        }
        guard.checkLoss(epoch, step + 1, lossSum);
        int[] indices = indicesOf(columns);
        double squares = 0;
        for (int i : indices) {
            g[i] /= rows;
            squares += g[i] * g[i];
        }
        guard.checkGradientNorm(epoch, step + 1, Math.sqrt(squares));
        if (adjustment.changesAnything()) adjustment.apply(w, g, indices);
        double rate = config.rate(epoch, step, plan.stepsPerEpoch());
        optimizer.step(w, g, rate, indices);
        for (int i : indices) g[i] = 0;
        ticket = shipped.patched(WeightPatch.of(w, columns, o, firstLayer), w);
        guard.accepted(lossSum, rows);
        totals.add(lossSum, rows, rate);
        totals.updates++;
        return 1;
    }

    /** The flat indices a lazy step updates: the columns' o weights each, then every parameter after the first layer's weights. */
    private int[] indicesOf(int[] columns) {
        int firstLayer = o * n;
        int[] idx = new int[columns.length * o + t.numParams() - firstLayer];
        int k = 0;
        for (int c : columns) {
            for (int i = 0; i < o; i++) idx[k++] = c * o + i;
        }
        for (int i = firstLayer; i < t.numParams(); i++) idx[k++] = i;
        return idx;
    }

    @Override
    public void close() {
        shipped.close();
    }
}
