package io.sparkbackprop.train;

/**
 * How the step loop takes an epoch's steps: {@link SynchronousSteps} (one Spark job per step) or
 * {@link LocalStepsJob} (one job for up to K steps, each partition stepping on its own). Both update the run's
 * weights and optimizer in place, report every step to the listener and pass it through the divergence guard.
 */
interface StepStrategy {
    /**
     * Takes the steps from {@code step} (0-based) of {@code epoch} on: at least one, never past the epoch's end.
     *
     * @return how many steps it covered
     */
    int take(int epoch, int step, EpochTotals totals);

    /** Releases what the strategy keeps on the cluster between steps (nothing, unless it says so). */
    default void close() {
    }

    /** What an epoch's steps add up to, for its record; and the optimizer updates taken, for the run's count. */
    final class EpochTotals {
        double lossSum;
        double rows;
        /** The rate of the last step that updated, or the base rate before any. */
        double rate;
        long updates;

        EpochTotals(double baseRate) {
            this.rate = baseRate;
        }

        void add(double stepLossSum, double stepRows, double stepRate) {
            lossSum += stepLossSum;
            rows += stepRows;
            rate = stepRate;
        }
    }
}
