package io.sparkbackprop.train;

import io.sparkbackprop.io.EpochRecord;
import java.util.function.Supplier;

/**
 * When a run ends before its last epoch, as listeners on the step loop's stop signal: tol (the train loss
 * stopped improving) and early stopping (the test loss stopped improving; its best weights are the result).
 * Their bookkeeping is part of the {@link TrainingState}, so a resumed run stops where the undisturbed one would.
 */
final class StoppingRules {
    /** Tol: {@link TrainingConfig#TOL_PATIENCE} epochs in a row without a tol-sized improvement of the best train loss. */
    static final class Tol implements TrainingListener {
        private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Tol.class);
        private final double tol;
        private double best;
        private int stale;

        Tol(double tol, TrainingState start) {
            this.tol = tol;
            this.best = start.bestTrainLoss();
            this.stale = start.epochsWithoutProgress();
        }

        @Override
        public void onEpoch(EpochRecord record, int totalEpochs, double rowsSeen) {
            if (tol <= 0) return;
            double loss = record.trainLoss();
            if (loss < best - tol * Math.abs(best) || best == Double.POSITIVE_INFINITY) {
                best = Math.min(best, loss);
                stale = 0;
            } else {
                stale++;
            }
            if (stopRequested()) {
                LOG.info("stopping after epoch {}: the train loss improved by less than tol {} for {} epochs", record.epoch(), tol,
                        TrainingConfig.TOL_PATIENCE);
            }
        }

        @Override
        public boolean stopRequested() {
            return tol > 0 && stale >= TrainingConfig.TOL_PATIENCE;
        }
    }

    /** Early stopping: {@code patience} evaluations of the test loss without a new best; 0 = off. */
    static final class Early implements TrainingListener {
        private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Early.class);
        private final int patience;
        private final Supplier<double[]> currentWeights;
        private double bestLoss;
        private int bestEpoch;
        private double[] bestWeights;
        private int stale;

        /** @param currentWeights a copy of the weights after the epoch just ended */
        Early(int patience, TrainingState start, Supplier<double[]> currentWeights) {
            this.patience = patience;
            this.currentWeights = currentWeights;
            this.bestLoss = start.bestTestLoss();
            this.bestEpoch = start.bestEpoch();
            this.bestWeights = start.bestWeights();
            this.stale = start.evalsWithoutImprovement();
        }

        @Override
        public void onEpoch(EpochRecord record, int totalEpochs, double rowsSeen) {
            // An epoch without a test evaluation (--eval-every) neither counts nor resets the patience.
            if (patience == 0 || Double.isNaN(record.testLoss())) return;
            if (record.testLoss() < bestLoss) {
                bestLoss = record.testLoss();
                bestEpoch = record.epoch();
                bestWeights = currentWeights.get();
                stale = 0;
            } else {
                stale++;
            }
            if (stopRequested()) {
                LOG.info("stopping early after epoch {}: the test loss has not improved on epoch {}'s {} for {} evaluations",
                        record.epoch(), bestEpoch, bestLoss, stale);
            }
        }

        @Override
        public boolean stopRequested() {
            return patience > 0 && stale >= patience;
        }

        boolean on() {
            return patience > 0;
        }

        /** The best epoch's weights, or null before the first evaluation. */
        double[] bestWeights() {
            return bestWeights;
        }

        int bestEpoch() {
            return bestEpoch;
        }

    }

    private StoppingRules() {
    }

    /** The state after an epoch, with both rules' bookkeeping. */
    static TrainingState state(int epoch, long steps, double[] w, OptimizerState optimizer, java.util.List<EpochRecord> history,
                               Tol tol, Early early) {
        return new TrainingState(epoch, steps, w, optimizer, history, tol.best, tol.stale, early.bestLoss, early.bestEpoch,
                early.bestWeights, early.stale);
    }
}
