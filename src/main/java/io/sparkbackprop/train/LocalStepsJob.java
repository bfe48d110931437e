package io.sparkbackprop.train;

import io.sparkbackprop.nn.Topology;
import java.util.Arrays;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * The driver's side of {@code --local-steps K} (parameter averaging, as Deeplearning4j's): one Spark job
 * covers up to K consecutive mini-batch steps of an epoch. One broadcast carries the weights and the
 * optimizer state; every partition takes those steps on its own ({@link LocalStepsPass}) and the driver
 * replaces weights and optimizer slots by their row-weighted averages over the partitions.
 * <p>
 * Why: a Spark job costs a fixed ~10 ms (scheduling, broadcast, task launch, result), which dominates a
 * mini-batch step of a small network; K steps per job pay it once. The price is that the partitions'
 * models drift apart for K steps before they are averaged, so the trajectory is not the synchronous one
 * (with one partition it is: its local steps are the global steps). A job never crosses an epoch's end,
 * so epochs, shuffles, history and checkpoints keep their meaning. The {@link TreeSum} keeps the result
 * bit-reproducible for a seed and partitioning.
 */
final class LocalStepsJob implements StepStrategy {
    private final JavaSparkContext sc;
    private final TrainingConfig config;
    private final TrainingSet train;
    private final BatchPlan plan;
    private final LocalStepsPass.Recipe recipe;
    private final double[] w;
    private final Optimizer optimizer;
    private final DivergenceGuard guard;
    private final TrainingListener listener;

    LocalStepsJob(JavaSparkContext sc, TrainingConfig config, Topology t, TrainingSet train, BatchPlan plan, double[] w,
                  Optimizer optimizer, DivergenceGuard guard, TrainingListener listener) {
        // The config saw only the batch size; a batch as large as the data is known here.
        if (plan.fullBatch()) throw new IllegalArgumentException(TrainingConfig.localStepsNeedMiniBatches(config.localSteps(), config.batchSize(), train.rows()));
        this.sc = sc;
        this.config = config;
        this.train = train;
        this.plan = plan;
        this.recipe = new LocalStepsPass.Recipe(config, t, plan);
        this.w = w;
        this.optimizer = optimizer;
        this.guard = guard;
        this.listener = listener;
    }

    /** Up to K steps in one job, never past the epoch's end; every step reported and checked as the synchronous mode does. */
    @Override
    public int take(int epoch, int step, EpochTotals totals) {
        int k = Math.min(config.localSteps(), plan.stepsPerEpoch() - step);
        Outcome o = run(w, optimizer.state(), epoch, step, k);
        for (int i = 0; i < k; i++) {
            listener.onStep(epoch, step + i, o.lossSums()[i], o.rows()[i]);
            if (o.rows()[i] == 0) continue;
            guard.checkLoss(epoch, step + i + 1, o.lossSums()[i]);
            guard.checkGradientNorm(epoch, step + i + 1, o.gradientNorms()[i]);
            guard.accepted(o.lossSums()[i], o.rows()[i]);
            totals.add(o.lossSums()[i], o.rows()[i], config.rate(epoch, step + i, plan.stepsPerEpoch()));
        }
        if (o.weights() != null) {
            guard.checkFinite(epoch, step + k, o.weights(), "the averaged weights");
            for (double[] slot : o.slots()) guard.checkFinite(epoch, step + k, slot, "the averaged optimizer slots");
        }
        o.applyTo(w, optimizer);
        totals.updates += o.stepsTaken();
        return k;
    }

    /**
     * What K local steps per partition produced, summed over the partitions.
     *
     * @param lossSums      per step, the batch's loss before its update (as the synchronous mode reports it)
     * @param rows          per step, the batch's rows (weight sum)
     * @param gradientNorms per step, the row-weighted mean of the partitions' gradient norms (NaN without rows)
     * @param weights       the averaged weights, or null when no partition had rows
     * @param slots         the averaged optimizer slots (null with the weights)
     * @param stepsTaken    the steps that had rows: what the optimizer's step count advances by
     */
    record Outcome(double[] lossSums, double[] rows, double[] gradientNorms, double[] weights, double[][] slots, int stepsTaken) {
        /** Sets the driver's weights and optimizer to the average. */
        void applyTo(double[] w, Optimizer optimizer) {
            if (weights == null) return;
            System.arraycopy(weights, 0, w, 0, w.length);
            OptimizerState before = optimizer.state();
            optimizer.restore(new OptimizerState(before.optimizer(), before.steps() + stepsTaken, slots));
        }
    }

    /** Steps [first, first + k) of the epoch from weights w and the optimizer's state; changes neither. */
    Outcome run(double[] w, OptimizerState state, int epoch, int first, int k) {
        int partitions = train.numPartitions();
        int depth = config.aggregationDepth();
        LocalStepsPass.Recipe r = recipe;
        Broadcast<double[]> start = sc.broadcast(LocalStepsPass.pack(w, state));
        double[] sum;
        try {
            sum = StepRunner.sum(train, depth, (p, it) -> LocalStepsPass.run(it, p, partitions, r, start.value(), epoch, first, k));
        } finally {
            start.destroy();
        }
        int p = w.length;
        int slotCount = state.slots().length;
        int perStep = p * (1 + slotCount);
        double[] lossSums = Arrays.copyOfRange(sum, perStep, perStep + k);
        double[] rows = Arrays.copyOfRange(sum, perStep + k, perStep + 2 * k);
        double[] norms = new double[k];
        int taken = 0;
        for (int i = 0; i < k; i++) {
            norms[i] = sum[perStep + 2 * k + i] / rows[i];
            if (rows[i] > 0) taken++;
        }
        double n = sum[sum.length - 1];
        if (n == 0) return new Outcome(lossSums, rows, norms, null, null, taken);
        double[] weights = new double[p];
        for (int j = 0; j < p; j++) weights[j] = sum[j] / n;
        double[][] slots = new double[slotCount][p];
        for (int s = 0; s < slotCount; s++) {
            for (int j = 0; j < p; j++) slots[s][j] = sum[p * (1 + s) + j] / n;
        }
        return new Outcome(lossSums, rows, norms, weights, slots, taken);
    }
}
