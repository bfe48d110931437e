package io.sparkbackprop.train;

import java.io.Serializable;

/**
 * How an epoch is cut into steps. With S steps per epoch, partition p of P (n_p rows) contributes the rows
 * at positions [⌊(s·n_p + c_p)/S⌋, ⌊((s+1)·n_p + c_p)/S⌋) of its epoch order to step s, with the phase
 * c_p = ⌊p·S/P⌋. Every row is used exactly once per epoch, each partition gives every step ⌊n_p/S⌋ or
 * ⌈n_p/S⌉ rows, and the phases stagger the partitions' extra rows over different steps, so the global
 * batch stays at the requested size (batch 1 over two partitions is one row a step, not 0 and 2 by turns).
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

    /** First position (inclusive) of step s in partition p of P, which has n rows. */
    public long sliceStart(long n, int step, int partition, int partitions) {
        long phase = (long) partition * stepsPerEpoch / partitions;
        return (n * step + phase) / stepsPerEpoch;
    }

    /** Last position (exclusive) of step s in partition p of P, which has n rows. */
    public long sliceEnd(long n, int step, int partition, int partitions) {
        return sliceStart(n, step + 1, partition, partitions);
    }
}
