package io.sparkbackprop.train;

import io.sparkbackprop.io.EpochRecord;
import io.sparkbackprop.nn.Topology;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * The distributed step loop. Each step: broadcast the weights, run one job that sums every partition's
 * gradient over its share of the batch (treeAggregate), destroy the broadcast, divide by the batch's
 * rows and let the optimizer update the weights on the driver. With local steps K > 1, one job instead
 * covers up to K steps, each partition stepping on its own, and the driver averages the models
 * ({@link LocalStepsJob}). After an epoch, when due, one more job measures the test loss.
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
        double[] initialWeights = start.weights();
        if (initialWeights.length != t.numParams()) {
            throw new IllegalArgumentException("expected " + t.numParams() + " initial weights for " + t + ", got " + initialWeights.length);
        }
        if (train.rows() == 0) throw new IllegalArgumentException("the training data has no rows");
        checkShape(train, t, "training");
        if (test != null && test.rows() > 0) checkShape(test, t, "test");
        boolean earlyStopping = config.earlyStopping() > 0;
        if (earlyStopping && (test == null || test.rows() == 0)) {
            throw new IllegalArgumentException("early stopping watches the test loss, but there is no test set: give test or "
                    + "validation rows, or turn early stopping off");
        }
        double[] w = initialWeights;
        Optimizer optimizer = config.newOptimizer(t);
        if (start.optimizer() != null) optimizer.restore(start.optimizer());
        GradientAdjustment adjustment = config.gradientAdjustment(t);
        BatchPlan plan = BatchPlan.of(train.rows(), config.batchSize());
        List<EpochRecord> history = new ArrayList<>(start.history());
        // Elapsed time continues from the checkpoint's, so the history stays monotone across a resume.
        double secondsBefore = history.isEmpty() ? 0 : history.get(history.size() - 1).seconds();
        long clockStart = System.nanoTime();
        long steps = start.steps();
        double rowsSeen = 0;
        DivergenceGuard guard = new DivergenceGuard(config.learningRate());
        LocalStepsJob local = config.localSteps() > 1 ? new LocalStepsJob(sc, config, t, train, plan) : null;
        double bestTrainLoss = start.bestTrainLoss();
        int epochsWithoutProgress = start.epochsWithoutProgress();
        // Early stopping's bookkeeping: the best test loss so far, its epoch and weights.
        double bestTestLoss = start.bestTestLoss();
        int bestEpoch = start.bestEpoch();
        double[] bestWeights = start.bestWeights();
        int evalsWithoutImprovement = start.evalsWithoutImprovement();
        if (start.epoch() > 0 && stoppedByTol(epochsWithoutProgress)) {
            LOG.info("the saved run had already stopped by tol after epoch {}", start.epoch());
            return finish(w, history, steps, bestEpoch, bestWeights);
        }
        if (start.epoch() > 0 && earlyStopping && evalsWithoutImprovement >= config.earlyStopping()) {
            LOG.info("the saved run had already stopped early after epoch {}", start.epoch());
            return finish(w, history, steps, bestEpoch, bestWeights);
        }
        listener.onStart(start.epoch(), config.epochs(), plan.stepsPerEpoch());
        for (int epoch = start.epoch() + 1; epoch <= config.epochs(); epoch++) {
            double epochLoss = 0;
            double epochRows = 0;
            double lr = config.learningRate();
            for (int step = 0; step < plan.stepsPerEpoch(); step++) {
                if (local != null) {
                    // Up to K steps in one job, never past the epoch's end; the loop's step++ adds the last.
                    int k = Math.min(config.localSteps(), plan.stepsPerEpoch() - step);
                    LocalStepsJob.Outcome o = local.run(w, optimizer.state(), epoch, step, k);
                    for (int i = 0; i < k; i++) {
                        listener.onStep(epoch, step + i, o.lossSums()[i], o.rows()[i]);
                        if (o.rows()[i] == 0) continue;
                        guard.checkLoss(epoch, step + i + 1, o.lossSums()[i]);
                        guard.checkGradientNorm(epoch, step + i + 1, o.gradientNorms()[i]);
                        guard.accepted(o.lossSums()[i], o.rows()[i]);
                        lr = config.rate(epoch, step + i, plan.stepsPerEpoch());
                        epochLoss += o.lossSums()[i];
                        epochRows += o.rows()[i];
                    }
                    if (o.weights() != null) {
                        guard.checkFinite(epoch, step + k, o.weights(), "the averaged weights");
                        for (double[] slot : o.slots()) guard.checkFinite(epoch, step + k, slot, "the averaged optimizer slots");
                    }
                    o.applyTo(w, optimizer);
                    steps += o.stepsTaken();
                    step += k - 1;
                    continue;
                }
                Broadcast<double[]> bw = sc.broadcast(w.clone());
                double[] agg;
                try {
                    agg = StepRunner.gradient(train, bw, t, plan, config.seed(), epoch, step, config.chunkSize(),
                            config.aggregationDepth(), config.dropout(), config.precision());
                } finally {
                    bw.destroy();
                }
                int p = t.numParams();
                double lossSum = agg[p];
                // The row count, or the weight sum when rows carry weights.
                double rows = agg[p + 1];
                listener.onStep(epoch, step, lossSum, rows);
                if (rows == 0) continue;
                guard.checkLoss(epoch, step + 1, lossSum);
                double[] g = java.util.Arrays.copyOf(agg, p);
                double squares = 0;
                for (int i = 0; i < p; i++) {
                    g[i] /= rows;
                    squares += g[i] * g[i];
                }
                guard.checkGradientNorm(epoch, step + 1, Math.sqrt(squares));
                if (adjustment.changesAnything()) adjustment.apply(w, g);
                lr = config.rate(epoch, step, plan.stepsPerEpoch());
                optimizer.step(w, g, lr);
                guard.accepted(lossSum, rows);
                epochLoss += lossSum;
                epochRows += rows;
                steps++;
            }
            rowsSeen += epochRows;
            double testLoss = Double.NaN;
            double testAccuracy = Double.NaN;
            boolean evaluated = test != null && test.rows() > 0 && (epoch % config.evalEvery() == 0 || epoch == config.epochs());
            if (evaluated) {
                double[] e = evaluate(test, t, w);
                testLoss = e[0];
                testAccuracy = e[1];
                if (!Double.isFinite(testLoss)) throw guard.diverged(epoch, plan.stepsPerEpoch(), "the test loss is " + testLoss);
            }
            EpochRecord record = new EpochRecord(epoch, epochLoss / epochRows, testLoss,
                    secondsBefore + (System.nanoTime() - clockStart) / 1e9, testAccuracy, lr);
            history.add(record);
            listener.onEpoch(record, config.epochs(), rowsSeen);
            if (config.tol() > 0) {
                double trainLoss = record.trainLoss();
                if (trainLoss < bestTrainLoss - config.tol() * Math.abs(bestTrainLoss) || bestTrainLoss == Double.POSITIVE_INFINITY) {
                    bestTrainLoss = Math.min(bestTrainLoss, trainLoss);
                    epochsWithoutProgress = 0;
                } else {
                    epochsWithoutProgress++;
                }
            }
            if (earlyStopping && evaluated) {
                if (testLoss < bestTestLoss) {
                    bestTestLoss = testLoss;
                    bestEpoch = epoch;
                    bestWeights = w.clone();
                    evalsWithoutImprovement = 0;
                } else {
                    evalsWithoutImprovement++;
                }
            }
            int done = epoch;
            long stepsDone = steps;
            double best = bestTrainLoss;
            int stale = epochsWithoutProgress;
            double bestTest = bestTestLoss;
            int bestAt = bestEpoch;
            double[] bestW = bestWeights;
            int staleEvals = evalsWithoutImprovement;
            listener.afterEpoch(done, () -> new TrainingState(done, stepsDone, w, optimizer.state(), history, best, stale,
                    bestTest, bestAt, bestW, staleEvals));
            if (listener.stopRequested()) {
                LOG.info("stopping after epoch {}: a listener asked to stop", epoch);
                break;
            }
            if (stoppedByTol(epochsWithoutProgress)) {
                LOG.info("stopping after epoch {}: the train loss improved by less than tol {} for {} epochs",
                        epoch, config.tol(), TrainingConfig.TOL_PATIENCE);
                break;
            }
            if (earlyStopping && evalsWithoutImprovement >= config.earlyStopping()) {
                LOG.info("stopping early after epoch {}: the test loss has not improved on epoch {}'s {} for {} evaluations",
                        epoch, bestEpoch, bestTestLoss, evalsWithoutImprovement);
                break;
            }
        }
        return finish(w, history, steps, bestEpoch, bestWeights);
    }

    /** With early stopping, the result carries the best epoch's weights rather than the last's. */
    private TrainingResult finish(double[] w, List<EpochRecord> history, long steps, int bestEpoch, double[] bestWeights) {
        if (config.earlyStopping() > 0 && bestWeights != null) {
            LOG.info("keeping the weights of epoch {}, the best test loss", bestEpoch);
            return new TrainingResult(bestWeights, List.copyOf(history), steps, bestEpoch);
        }
        return new TrainingResult(w, List.copyOf(history), steps);
    }

    private boolean stoppedByTol(int epochsWithoutProgress) {
        return config.tol() > 0 && epochsWithoutProgress >= TrainingConfig.TOL_PATIENCE;
    }

    /** Mean loss of the network with weights w over a data set: one job. */
    public double lossOf(TrainingSet data, Topology t, double[] w) {
        return evaluate(data, t, w)[0];
    }

    /** {mean loss, accuracy} of the network with weights w over a data set, one job; accuracy is NaN unless it classifies. */
    public double[] evaluate(TrainingSet data, Topology t, double[] w) {
        Broadcast<double[]> bw = sc.broadcast(w.clone());
        try {
            double[] agg = StepRunner.loss(data, bw, t, config.chunkSize(), config.aggregationDepth());
            double accuracy = t.loss().classifies(t.outputSize()) ? agg[2] / agg[1] : Double.NaN;
            return new double[] {agg[0] / agg[1], accuracy};
        } finally {
            bw.destroy();
        }
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
