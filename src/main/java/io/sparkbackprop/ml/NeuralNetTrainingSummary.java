package io.sparkbackprop.ml;

import io.sparkbackprop.io.EpochRecord;
import java.io.Serializable;
import java.util.List;

/**
 * The loss history of a fit: train loss per epoch and, with a validationIndicatorCol, the test loss: the loss of the
 * rows that column marks, held out of training (the command line's test rows; one word, "test", for both).
 */
public final class NeuralNetTrainingSummary implements Serializable {
    private static final long serialVersionUID = 1L;

    private final List<EpochRecord> history;
    private final long steps;
    private final int bestEpoch;

    NeuralNetTrainingSummary(List<EpochRecord> history, long steps, int bestEpoch) {
        this.history = List.copyOf(history);
        this.steps = steps;
        this.bestEpoch = bestEpoch;
    }

    /** With earlyStopping, the epoch whose weights the model has (the best test loss); else 0. */
    public int bestEpoch() {
        return bestEpoch;
    }

    /** Share of the test rows (marked by validationIndicatorCol) classified correctly after each epoch (classifiers; NaN otherwise). */
    public double[] testAccuracyHistory() {
        return history.stream().mapToDouble(EpochRecord::testAccuracy).toArray();
    }

    /** The earlier name of {@link #testLossHistory()}. */
    @Deprecated
    public double[] validationLossHistory() {
        return testLossHistory();
    }

    /** The earlier name of {@link #testAccuracyHistory()}. */
    @Deprecated
    public double[] validationAccuracyHistory() {
        return testAccuracyHistory();
    }

    /** Train loss of each epoch: the mean of its mini-batch losses, each taken before its update. */
    public double[] trainLossHistory() {
        return history.stream().mapToDouble(EpochRecord::trainLoss).toArray();
    }

    /** Loss on the test rows (marked by validationIndicatorCol) after each epoch (NaN where not measured; all NaN without them). */
    public double[] testLossHistory() {
        return history.stream().mapToDouble(EpochRecord::testLoss).toArray();
    }

    /** Spark's name for the train loss per iteration (here: per epoch). */
    public double[] objectiveHistory() {
        return trainLossHistory();
    }

    /** Epochs run (fewer than maxIter when tol stopped training). */
    public int totalIterations() {
        return history.size();
    }

    /** Optimizer updates taken. */
    public long totalSteps() {
        return steps;
    }

    public List<EpochRecord> history() {
        return history;
    }
}
