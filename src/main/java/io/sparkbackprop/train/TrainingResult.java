package io.sparkbackprop.train;

import io.sparkbackprop.io.EpochRecord;
import java.util.List;

/** What a run leaves: the final flat weights, the per-epoch history and how many steps it took. */
public record TrainingResult(double[] weights, List<EpochRecord> history, long steps) {
}
