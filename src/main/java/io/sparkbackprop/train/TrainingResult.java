package io.sparkbackprop.train;

import io.sparkbackprop.io.EpochRecord;
import java.util.List;

/**
 * What a run leaves: the final flat weights, the per-epoch history and how many steps it took.
 *
 * @param bestEpoch with early stopping, the epoch whose weights these are (the best test loss); else 0
 */
public record TrainingResult(double[] weights, List<EpochRecord> history, long steps, int bestEpoch) {
    public TrainingResult(double[] weights, List<EpochRecord> history, long steps) {
        this(weights, history, steps, 0);
    }
}
