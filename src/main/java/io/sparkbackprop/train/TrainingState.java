package io.sparkbackprop.train;

import io.sparkbackprop.io.EpochRecord;
import java.util.List;

/**
 * Everything the step loop carries from one epoch to the next, so a run can stop after any epoch and
 * continue bit for bit: the weights, the optimizer's state, the history, the tol bookkeeping and early
 * stopping's best weights. The batch order, dropout masks and learning-rate schedule need no state: they are
 * functions of (seed, epoch, step, partition, row).
 *
 * @param epoch       epochs completed
 * @param optimizer   null for a fresh start
 * @param bestWeights early stopping's best weights so far, or null
 */
public record TrainingState(int epoch, long steps, double[] weights, OptimizerState optimizer, List<EpochRecord> history,
                            double bestTrainLoss, int epochsWithoutProgress, double bestTestLoss, int bestEpoch,
                            double[] bestWeights, int evalsWithoutImprovement) {

    public TrainingState {
        weights = weights.clone();
        history = List.copyOf(history);
        bestWeights = bestWeights == null ? null : bestWeights.clone();
    }

    /** A state without early-stopping bookkeeping. */
    public TrainingState(int epoch, long steps, double[] weights, OptimizerState optimizer, List<EpochRecord> history,
                         double bestTrainLoss, int epochsWithoutProgress) {
        this(epoch, steps, weights, optimizer, history, bestTrainLoss, epochsWithoutProgress, Double.POSITIVE_INFINITY, 0, null, 0);
    }

    @Override
    public double[] weights() {
        return weights.clone();
    }

    @Override
    public double[] bestWeights() {
        return bestWeights == null ? null : bestWeights.clone();
    }

    /** The state before the first epoch. */
    public static TrainingState fresh(double[] initialWeights) {
        return new TrainingState(0, 0, initialWeights, null, List.of(), Double.POSITIVE_INFINITY, 0);
    }
}
