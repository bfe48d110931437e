package io.sparkbackprop.io;

/** One epoch of training history; testLoss is NaN where the test set was not evaluated. */
public record EpochRecord(int epoch, double trainLoss, double testLoss, double seconds) {
}
