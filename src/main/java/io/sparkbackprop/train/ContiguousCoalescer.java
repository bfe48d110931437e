package io.sparkbackprop.train;

import java.io.Serializable;
import org.apache.spark.Partition;
import org.apache.spark.rdd.PartitionCoalescer;
import org.apache.spark.rdd.PartitionGroup;
import org.apache.spark.rdd.RDD;

/**
 * Merges n partitions into k by contiguous ranges, [⌊i·n/k⌋, ⌊(i+1)·n/k⌋) into partition i, without a shuffle.
 * Spark's own coalescer groups by preferred locations, which can differ from run to run; this grouping depends on
 * n and k alone, so a seeded run stays reproducible for the same input partitioning.
 */
final class ContiguousCoalescer implements PartitionCoalescer, Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public PartitionGroup[] coalesce(int maxPartitions, RDD<?> parent) {
        Partition[] parts = parent.partitions();
        int n = parts.length;
        int k = Math.max(1, Math.min(maxPartitions, n));
        PartitionGroup[] groups = new PartitionGroup[k];
        for (int g = 0; g < k; g++) groups[g] = new PartitionGroup(scala.Option.empty());
        for (int i = 0; i < n; i++) groups[(int) ((long) i * k / n)].partitions().addOne(parts[i]);
        return groups;
    }

    /** The blocks in at most {@code slots} partitions, grouped contiguously; unchanged when they are no more already. */
    static <T> org.apache.spark.api.java.JavaRDD<T> toAtMost(org.apache.spark.api.java.JavaRDD<T> rdd, int slots) {
        if (rdd.getNumPartitions() <= slots) return rdd;
        RDD<T> merged = rdd.rdd().coalesce(slots, false, scala.Option.apply(new ContiguousCoalescer()), null);
        return new org.apache.spark.api.java.JavaRDD<>(merged, rdd.classTag());
    }
}
