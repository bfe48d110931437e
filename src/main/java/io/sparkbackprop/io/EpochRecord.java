package io.sparkbackprop.io;

/**
 * One line of a training history.
 *
 * @param epoch        the epoch number, counted as the trainer counts it
 * @param trainLoss    mean training loss over the epoch
 * @param testLoss     loss on the held-out set, or NaN when it was not evaluated this epoch
 * @param seconds      elapsed wall time since training started, at the end of this epoch (NaN if unknown,
 *                     e.g. read from a file written without it)
 * @param testAccuracy share of the held-out rows classified correctly (classifiers), else NaN
 * @param learningRate the learning rate of the epoch's last step (NaN if unknown)
 */
public record EpochRecord(int epoch, double trainLoss, double testLoss, double seconds, double testAccuracy, double learningRate) {
    /** A record without accuracy or learning rate (regression histories, older files). */
    public EpochRecord(int epoch, double trainLoss, double testLoss, double seconds) {
        this(epoch, trainLoss, testLoss, seconds, Double.NaN, Double.NaN);
    }

    public boolean hasTestAccuracy() {
        return !Double.isNaN(testAccuracy);
    }
}
