package io.sparkbackprop.train;

import io.sparkbackprop.nn.Topology;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * One Spark job per step, the reference algorithm distributed: broadcast the weights, sum every partition's
 * gradient over its share of the batch ({@link StepRunner}), destroy the broadcast, divide by the batch's
 * rows, apply L2 and clipping, and let the optimizer update the weights on the driver.
 */
final class SynchronousSteps implements StepStrategy {
    private final JavaSparkContext sc;
    private final TrainingConfig config;
    private final Topology t;
    private final TrainingSet train;
    private final BatchPlan plan;
    private final double[] w;
    private final Optimizer optimizer;
    private final GradientAdjustment adjustment;
    private final DivergenceGuard guard;
    private final TrainingListener listener;

    SynchronousSteps(JavaSparkContext sc, TrainingConfig config, Topology t, TrainingSet train, BatchPlan plan, double[] w,
                     Optimizer optimizer, DivergenceGuard guard, TrainingListener listener) {
        this.sc = sc;
        this.config = config;
        this.t = t;
        this.train = train;
        this.plan = plan;
        this.w = w;
        this.optimizer = optimizer;
        this.adjustment = config.gradientAdjustment(t);
        this.guard = guard;
        this.listener = listener;
    }

    @Override
    public int take(int epoch, int step, EpochTotals totals) {
        Broadcast<double[]> bw = sc.broadcast(w.clone());
        StepSums sums;
        try {
            sums = StepSums.of(StepRunner.gradient(train, bw, t, plan, config, epoch, step));
        } finally {
            bw.destroy();
        }
        listener.onStep(epoch, step, sums.lossSum, sums.rows);
        if (sums.rows == 0) return 1;
        guard.checkLoss(epoch, step + 1, sums.lossSum);
        guard.checkGradientNorm(epoch, step + 1, sums.norm);
        double[] g = sums.mean;
        if (adjustment.changesAnything()) adjustment.apply(w, g);
        double rate = config.rate(epoch, step, plan.stepsPerEpoch());
        optimizer.step(w, g, rate);
        guard.accepted(sums.lossSum, sums.rows);
        totals.add(sums.lossSum, sums.rows, rate);
        totals.updates++;
        return 1;
    }
}
