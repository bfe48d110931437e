package io.sparkbackprop.train;

import io.sparkbackprop.io.EpochRecord;
import java.util.List;

/**
 * Everything the step loop carries from one epoch to the next, so a run can stop after any epoch and
 * continue bit for bit: the weights, the optimizer's state, the history and the tol bookkeeping. The batch
 * order needs no state: it is a function of (seed, epoch, partition).
 *
 * @param epoch     epochs completed
 * @param optimizer null for a fresh start
 */
public record TrainingState(int epoch, long steps, double[] weights, OptimizerState optimizer, List<EpochRecord> history,
                            double bestTrainLoss, int epochsWithoutProgress) {

    public TrainingState {
        weights = weights.clone();
        history = List.copyOf(history);
    }

    @Override
    public double[] weights() {
        return weights.clone();
    }

    /** The state before the first epoch. */
    public static TrainingState fresh(double[] initialWeights) {
        return new TrainingState(0, 0, initialWeights, null, List.of(), Double.POSITIVE_INFINITY, 0);
    }
}
