package io.sparkbackprop.train;

import java.io.Serializable;

/**
 * How an epoch is cut into steps. With S steps per epoch, partition p (n_p rows) contributes the rows at
 * positions [⌊s·n_p/S⌋, ⌊(s+1)·n_p/S⌋) of its epoch order to step s, so every row is used exactly once
 * per epoch and each step's global batch is about the requested size, spread over partitions in
 * proportion to their rows.
 */
public record BatchPlan(long totalRows, int stepsPerEpoch) implements Serializable {

    /** batchSize ≤ 0 or ≥ totalRows means full batch: one step per epoch. */
    public static BatchPlan of(long totalRows, int batchSize) {
        if (totalRows <= 0) throw new IllegalArgumentException("no training rows");
        if (batchSize <= 0 || batchSize >= totalRows) return new BatchPlan(totalRows, 1);
        long steps = (totalRows + batchSize - 1) / batchSize;
        return new BatchPlan(totalRows, (int) Math.min(Integer.MAX_VALUE, steps));
    }

    public boolean fullBatch() {
        return stepsPerEpoch == 1;
    }

    /** First position (inclusive) of step s in a partition of n rows. */
    public long sliceStart(long n, int step) {
        return n * step / stepsPerEpoch;
    }

    /** Last position (exclusive) of step s in a partition of n rows. */
    public long sliceEnd(long n, int step) {
        return n * (step + 1) / stepsPerEpoch;
    }
}
