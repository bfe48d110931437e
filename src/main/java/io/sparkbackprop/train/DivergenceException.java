package io.sparkbackprop.train;

/** Training produced a NaN or infinite loss or gradient; the model is not returned. */
public class DivergenceException extends RuntimeException {
    private final int epoch;
    private final int step;

    public DivergenceException(int epoch, int step, String what, double lastGoodLoss, double learningRate) {
        super("training diverged at epoch " + epoch + ", step " + step + ": " + what
                + (Double.isNaN(lastGoodLoss) ? "" : " (last finite batch loss " + lastGoodLoss + ")")
                + ". Try a lower --learning-rate than " + learningRate + ", or scale the data (--standardize, on by default, and "
                + "--standardize-label for a label of large magnitude).");
        this.epoch = epoch;
        this.step = step;
    }

    public int epoch() {
        return epoch;
    }

    public int step() {
        return step;
    }
}
