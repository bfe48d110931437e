package io.sparkbackprop.io;

/**
 * One line of a training history.
 *
 * @param epoch     the epoch number, counted as the trainer counts it
 * @param trainLoss mean training loss over the epoch
 * @param testLoss  loss on the held-out set, or NaN when it was not evaluated this epoch
 * @param seconds   elapsed wall time since training started, at the end of this epoch (NaN if unknown,
 *                  e.g. read from a file written without it)
 */
public record EpochRecord(int epoch, double trainLoss, double testLoss, double seconds) {
    public boolean hasTestLoss() {
        return !Double.isNaN(testLoss);
    }
}
