package io.sparkbackprop.train;

import java.util.Locale;

/**
 * The run's divergence checks, one object for the synchronous loop and the local-steps loop so both stop
 * with the same messages: a non-finite batch loss or gradient, a gradient norm over {@link Trainer#EXPLODING}
 * times the run's first, and (local steps only) non-finite averaged weights. It remembers the last finite
 * batch loss for the message.
 */
final class DivergenceGuard {
    private final double learningRate;
    private double lastGoodLoss = Double.NaN;
    private double firstNorm = -1;

    DivergenceGuard(double learningRate) {
        this.learningRate = learningRate;
    }

    /** @param step counted from 1, as the message shows it */
    void checkLoss(int epoch, int step, double lossSum) {
        if (!Double.isFinite(lossSum)) throw diverged(epoch, step, "the batch loss is " + lossSum);
    }

    /** The mean gradient's Euclidean norm, before L2 and clipping. */
    void checkGradientNorm(int epoch, int step, double norm) {
        if (!Double.isFinite(norm)) throw diverged(epoch, step, "the gradient is not finite");
        if (firstNorm < 0) firstNorm = Math.max(norm, 1.0);
        if (norm > Trainer.EXPLODING * firstNorm) {
            throw diverged(epoch, step, String.format(Locale.ROOT, "the gradient norm %.3g is over %.0e times the first step's",
                    norm, Trainer.EXPLODING));
        }
    }

    /** Every value finite, else the run stops naming {@code what}. */
    void checkFinite(int epoch, int step, double[] values, String what) {
        for (double v : values) {
            if (!Double.isFinite(v)) throw diverged(epoch, step, what + " are not finite");
        }
    }

    /** A step passed the checks: its mean loss is the last good one. */
    void accepted(double lossSum, double rows) {
        lastGoodLoss = lossSum / rows;
    }

    DivergenceException diverged(int epoch, int step, String what) {
        return new DivergenceException(epoch, step, what, lastGoodLoss, learningRate);
    }
}
