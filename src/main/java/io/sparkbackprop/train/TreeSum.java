package io.sparkbackprop.train;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * A sum of per-partition buffers whose floating-point result does not depend on the order in which Spark
 * delivers them. Buffers are added along a fixed binary tree over partition indices — node (level, k)
 * covers partitions [k·2^level, (k+1)·2^level) — and two nodes are only ever added when they are
 * siblings, left operand first. Task completion order, which decides the order of treeAggregate's
 * merges, therefore cannot change a bit of the result: training is reproducible for a given seed and
 * partitioning, whatever the partition count.
 */
final class TreeSum implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int partitions;
    /** Complete nodes not yet merged with their sibling, keyed by (level << 32 | k). */
    private final Map<Long, double[]> nodes = new HashMap<>();

    TreeSum(int partitions) {
        this.partitions = partitions;
    }

    /** A sum holding one partition's buffer. */
    static TreeSum leaf(int partitions, int partition, double[] buffer) {
        TreeSum s = new TreeSum(partitions);
        s.insert(0, partition, buffer);
        return s;
    }

    /** Adds every node of {@code other} into this sum; returns this. */
    TreeSum merge(TreeSum other) {
        for (Map.Entry<Long, double[]> e : other.nodes.entrySet()) {
            insert((int) (e.getKey() >>> 32), (int) (long) e.getKey(), e.getValue());
        }
        return this;
    }

    private void insert(int level, int k, double[] buffer) {
        while (true) {
            int sibling = k ^ 1;
            if ((long) sibling << level >= partitions) {
                // No partition falls under the sibling: the node moves up unchanged.
                if (k == 0 && (1L << level) >= partitions) {
                    nodes.put(key(level, k), buffer);
                    return;
                }
                level++;
                k >>= 1;
                continue;
            }
            double[] other = nodes.remove(key(level, sibling));
            if (other == null) {
                nodes.put(key(level, k), buffer);
                return;
            }
            double[] left = k < sibling ? buffer : other;
            double[] right = k < sibling ? other : buffer;
            for (int i = 0; i < left.length; i++) left[i] += right[i];
            buffer = left;
            level++;
            k >>= 1;
        }
    }

    /** The total once every partition has been added. */
    double[] total() {
        if (nodes.size() != 1) {
            throw new IllegalStateException("the sum is incomplete: " + nodes.size() + " partial nodes of " + partitions + " partitions");
        }
        return nodes.values().iterator().next();
    }

    private static long key(int level, int k) {
        return ((long) level << 32) | (k & 0xFFFFFFFFL);
    }
}
