package io.sparkbackprop.train;

import io.sparkbackprop.io.EpochRecord;

/** Hooks into the step loop, called on the driver. */
public interface TrainingListener {
    /** Before the first step: epochs already done (a resumed run), epochs in all and steps per epoch. */
    default void onStart(int epochsDone, int totalEpochs, int stepsPerEpoch) {
    }

    /**
     * After each step's aggregate, before the update: the batch's summed loss and row count (weight sum). With local
     * steps, for each step of a job once the job is done, the loss still each partition's before its update.
     */
    default void onStep(int epoch, int step, double lossSum, double rows) {
    }

    /** After each epoch (and its test evaluation, when due). */
    default void onEpoch(EpochRecord record, int totalEpochs, double rowsSeen) {
    }

    /**
     * After each epoch's bookkeeping, with the state to continue from (built only when asked for, e.g. by
     * a checkpoint writer).
     */
    default void afterEpoch(int epoch, java.util.function.Supplier<TrainingState> state) {
    }

    /**
     * Asked after each step and after each epoch (once {@link #afterEpoch} has run): true ends the run there, as a
     * finished one whose result is the weights so far; a run ended within an epoch has no record of that epoch. The way
     * a listener stops training; nothing needs to be thrown.
     */
    default boolean stopRequested() {
        return false;
    }

    /** Calls every listener in turn; stops when any of them asks to. */
    static TrainingListener all(TrainingListener... listeners) {
        return new TrainingListener() {
            @Override
            public void onStart(int epochsDone, int totalEpochs, int stepsPerEpoch) {
                for (TrainingListener l : listeners) l.onStart(epochsDone, totalEpochs, stepsPerEpoch);
            }

            @Override
            public void onStep(int epoch, int step, double lossSum, double rows) {
                for (TrainingListener l : listeners) l.onStep(epoch, step, lossSum, rows);
            }

            @Override
            public void onEpoch(EpochRecord record, int totalEpochs, double rowsSeen) {
                for (TrainingListener l : listeners) l.onEpoch(record, totalEpochs, rowsSeen);
            }

            @Override
            public void afterEpoch(int epoch, java.util.function.Supplier<TrainingState> state) {
                for (TrainingListener l : listeners) l.afterEpoch(epoch, state);
            }

            @Override
            public boolean stopRequested() {
                boolean stop = false;
                for (TrainingListener l : listeners) stop |= l.stopRequested();
                return stop;
            }
        };
    }

    TrainingListener NONE = new TrainingListener() {
    };
}
