package io.sparkbackprop.train;

import io.sparkbackprop.io.EpochRecord;
import io.sparkbackprop.nn.Topology;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * The distributed step loop, as the reference algorithm reads: epochs of steps, each step taken by the
 * run's {@link StepStrategy} (synchronous: one Spark job per step; local steps: one job for up to K), every
 * step checked by the {@link DivergenceGuard}; after an epoch, when due, one more job measures the test loss;
 * then the listeners hear of the epoch and may stop the run ({@link TrainingListener#stopRequested}), as tol
 * and early stopping do ({@link StoppingRules}).
 */
public final class Trainer {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Trainer.class);
    /**
     * A gradient this many times larger than the run's first (or 1, if that was smaller) is taken as an
     * explosion: training stops before the weights overflow, and the last checkpoint stays the good one.
     */
    static final double EXPLODING = 1e6;
    private final JavaSparkContext sc;
    private final TrainingConfig config;

    public Trainer(JavaSparkContext sc, TrainingConfig config) {
        this.sc = sc;
        this.config = config;
    }

    /**
     * @param test may be null (no test loss is reported)
     */
    public TrainingResult fit(Topology t, double[] initialWeights, TrainingSet train, TrainingSet test,
                              TrainingListener listener) {
        return fit(t, TrainingState.fresh(initialWeights), train, test, listener);
    }

    /** Continues a run from a state saved after some epoch (or {@link TrainingState#fresh}) up to the configured epochs. */
    public TrainingResult fit(Topology t, TrainingState start, TrainingSet train, TrainingSet test, TrainingListener listener) {
        if (start.weights().length != t.numParams()) {
            throw new IllegalArgumentException("expected " + t.numParams() + " initial weights for " + t + ", got " + start.weights().length);
        }
        if (train.rows() == 0) throw new IllegalArgumentException("the training data has no rows");
        checkShape(train, t, "training");
        boolean testing = test != null && test.rows() > 0;
        if (testing) checkShape(test, t, "test");
        if (config.earlyStopping() > 0 && !testing) throw new IllegalArgumentException(TrainingConfig.EARLY_STOPPING_NEEDS_TEST_ROWS);

        double[] w = start.weights();
        Optimizer optimizer = config.newOptimizer(t);
        if (start.optimizer() != null) optimizer.restore(start.optimizer());
        BatchPlan plan = BatchPlan.of(train.rows(), config.batchSize());
        List<EpochRecord> history = new ArrayList<>(start.history());
        StoppingRules.Tol tol = new StoppingRules.Tol(config.tol(), start);
        StoppingRules.Early early = new StoppingRules.Early(config.earlyStopping(), start, w::clone);
        // The stopping rules keep their bookkeeping in onEpoch, before any afterEpoch builds a state (a checkpoint's);
        // after the caller's listeners, so that their "stopping" line follows the epoch's progress line.
        TrainingListener listeners = TrainingListener.all(listener, tol, early);
        long[] steps = {start.steps()};
        if (start.epoch() > 0 && listeners.stopRequested()) {
            LOG.info("the saved run had already stopped after epoch {}", start.epoch());
            return finish(w, history, steps[0], early);
        }
        DivergenceGuard guard = new DivergenceGuard(config.learningRate());
        StepStrategy strategy = config.localSteps() > 1
                ? new LocalStepsJob(sc, config, t, train, plan, w, optimizer, guard, listeners)
                : lazySparse(t, train) ? new SparseSteps(sc, config, t, train, plan, w, optimizer, guard, listeners)
                : new SynchronousSteps(sc, config, t, train, plan, w, optimizer, guard, listeners);
        try {
            return loop(t, start, train, test, testing, w, optimizer, plan, history, tol, early, listeners, steps, guard, strategy);
        } finally {
            strategy.close();
        }
    }

    /** Whether the steps are {@link SparseSteps}: synchronous, lazy updates asked for, and sparse input. */
    private boolean lazySparse(Topology t, TrainingSet train) {
        boolean on = config.localSteps() == 1 && config.lazySparseUpdates() && train.sparseInput();
        if (on) {
            // Known only now, from the data: the patches' share of the driver's heap.
            DriverMemory.check(t, config.optimizer(), sc.isLocal(), sc.defaultParallelism(), true,
                    Runtime.getRuntime().maxMemory());
            LOG.info("sparse input ({} nonzeros, {} of the values): lazy first-layer updates, only the touched columns shipped per step"
                    + " (--sparse-updates exact, Param sparseUpdates: every weight every step)", train.nonzeros(),
                    String.format("%.2g", train.density()));
        }
        return on;
    }

    private TrainingResult loop(Topology t, TrainingState start, TrainingSet train, TrainingSet test, boolean testing, double[] w,
                                Optimizer optimizer, BatchPlan plan, List<EpochRecord> history, StoppingRules.Tol tol,
                                StoppingRules.Early early, TrainingListener listeners, long[] steps, DivergenceGuard guard,
                                StepStrategy strategy) {
        // Elapsed time continues from the checkpoint's, so the history stays monotone across a resume.
        double secondsBefore = history.isEmpty() ? 0 : history.get(history.size() - 1).seconds();
        long clockStart = System.nanoTime();
        double rowsSeen = 0;
        listeners.onStart(start.epoch(), config.epochs(), plan.stepsPerEpoch());
        for (int epoch = start.epoch() + 1; epoch <= config.epochs(); epoch++) {
            StepStrategy.EpochTotals totals = new StepStrategy.EpochTotals(config.learningRate());
            for (int step = 0; step < plan.stepsPerEpoch(); ) {
                step += strategy.take(epoch, step, totals);
                if (step < plan.stepsPerEpoch() && listeners.stopRequested()) {
                    // Mid-epoch: the partial epoch gets no record; the result is the weights after the last step.
                    LOG.info("stopping in epoch {} after step {}", epoch, step);
                    return finish(w, history, steps[0] + totals.updates, early);
                }
            }
            steps[0] += totals.updates;
            rowsSeen += totals.rows;
            double testLoss = Double.NaN;
            double testAccuracy = Double.NaN;
            if (testing && (epoch % config.evalEvery() == 0 || epoch == config.epochs())) {
                double[] e = strategy instanceof SparseSteps sparse ? evaluate(test, t, sparse.ticket()) : evaluate(test, t, w);
                testLoss = e[0];
                testAccuracy = e[1];
                if (!Double.isFinite(testLoss)) throw guard.diverged(epoch, plan.stepsPerEpoch(), "the test loss is " + testLoss);
            }
            EpochRecord record = new EpochRecord(epoch, totals.lossSum / totals.rows, testLoss,
                    secondsBefore + (System.nanoTime() - clockStart) / 1e9, testAccuracy, totals.rate);
            history.add(record);
            listeners.onEpoch(record, config.epochs(), rowsSeen);
            int done = epoch;
            long stepsDone = steps[0];
            listeners.afterEpoch(done, () -> StoppingRules.state(done, stepsDone, w, optimizer.state(), history, tol, early));
            if (listeners.stopRequested()) {
                LOG.info("stopping after epoch {}", epoch);
                break;
            }
        }
        return finish(w, history, steps[0], early);
    }

    /** With early stopping, the result carries the best epoch's weights rather than the last's. */
    private static TrainingResult finish(double[] w, List<EpochRecord> history, long steps, StoppingRules.Early early) {
        if (early.on() && early.bestWeights() != null) {
            LOG.info("keeping the weights of epoch {}, the best test loss", early.bestEpoch());
            return new TrainingResult(early.bestWeights(), List.copyOf(history), steps, early.bestEpoch());
        }
        return new TrainingResult(w, List.copyOf(history), steps);
    }

    /** {mean loss, accuracy} of the network with weights w over a data set, one job; accuracy is NaN unless it classifies. */
    public double[] evaluate(TrainingSet data, Topology t, double[] w) {
        Broadcast<double[]> bw = sc.broadcast(w.clone());
        try {
            return evaluate(data, t, bw::value);
        } finally {
            bw.destroy();
        }
    }

    /** The same with the weights the executors keep for a lazy sparse run. */
    private double[] evaluate(TrainingSet data, Topology t, ShippedWeights.Ticket weights) {
        return evaluate(data, t, () -> ShippedWeights.weights(weights));
    }

    private double[] evaluate(TrainingSet data, Topology t, StepRunner.WeightSource weights) {
        double[] agg = StepRunner.loss(data, weights, t, config.chunkSize(), config.aggregationDepth());
        double accuracy = t.loss().classifies(t.outputSize()) ? agg[2] / agg[1] : Double.NaN;
        return new double[] {agg[0] / agg[1], accuracy};
    }

    private static void checkShape(TrainingSet data, Topology t, String which) {
        if (data.numFeatures() != t.inputSize()) {
            throw new IllegalArgumentException("the " + which + " data has " + data.numFeatures()
                    + " features but the network expects " + t.inputSize());
        }
        if (data.labelWidth() != t.labelWidth()) {
            throw new IllegalArgumentException("the " + which + " data has " + data.labelWidth()
                    + " label values per row but the network's " + t.loss().id() + " loss expects " + t.labelWidth());
        }
    }
}
