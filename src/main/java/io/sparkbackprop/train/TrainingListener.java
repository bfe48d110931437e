package io.sparkbackprop.train;

import io.sparkbackprop.io.EpochRecord;

/** Hooks into the step loop, called on the driver. */
public interface TrainingListener {
    /** After each step's aggregate, before the update: the batch's summed loss and row count (weight sum). */
    default void onStep(int epoch, int step, double lossSum, double rows) {
    }

    /** After each epoch (and its test evaluation, when due). */
    default void onEpoch(EpochRecord record, int totalEpochs, double rowsSeen) {
    }

    TrainingListener NONE = new TrainingListener() {
    };
}
