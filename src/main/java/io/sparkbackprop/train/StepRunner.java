package io.sparkbackprop.train;

import io.sparkbackprop.nn.Precision;
import io.sparkbackprop.nn.Topology;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;

/**
 * The Spark side of a step: one job that maps every partition to its summed gradient buffer and
 * combines the buffers with treeAggregate, in an order fixed by partition index (see {@link TreeSum}).
 * Nothing here holds a reference to the driver's loop, so the closures stay small.
 */
final class StepRunner {
    private StepRunner() {
    }

    /** [gradient sum (numParams), loss sum, rows] over this step's batch. */
    static double[] gradient(TrainingSet data, Broadcast<double[]> weights, Topology t, BatchPlan plan, long seed,
                             int epoch, int step, int chunk, int depth) {
        return gradient(data, weights, t, plan, seed, epoch, step, chunk, depth, 0.0, Precision.DOUBLE);
    }

    /**
     * As above with dropout on the hidden layers at the given rate and the tasks' products in the given precision.
     * (No overload without the precision: a caller that forgot it would silently train in double.)
     */
    static double[] gradient(TrainingSet data, Broadcast<double[]> weights, Topology t, BatchPlan plan, long seed,
                             int epoch, int step, int chunk, int depth, double dropout, Precision precision) {
        int partitions = data.numPartitions();
        JavaRDD<TreeSum> perPartition = data.blocks().mapPartitionsWithIndex((p, it) -> java.util.List.of(TreeSum.leaf(
                partitions, p, PartitionPass.gradient(it, p, partitions, t, weights.value(), plan, seed, epoch, step, chunk, dropout,
                        precision))).iterator(), false);
        return sum(perPartition, partitions, depth);
    }

    /** [loss sum, rows, correctly classified rows] over the whole set. */
    static double[] loss(TrainingSet data, Broadcast<double[]> weights, Topology t, int chunk, int depth) {
        int partitions = data.numPartitions();
        JavaRDD<TreeSum> perPartition = data.blocks().mapPartitionsWithIndex((p, it) -> java.util.List.of(TreeSum.leaf(
                partitions, p, PartitionPass.loss(it, t, weights.value(), chunk))).iterator(), false);
        return sum(perPartition, partitions, depth);
    }

    /** Every partition's buffer added up in partition order; the local-steps job sums its buffers this way too. */
    static double[] sum(JavaRDD<TreeSum> buffers, int partitions, int depth) {
        // The zero holds no buffer, so it costs nothing to ship with every task (see spark-notes); the
        // TreeSum adds partitions in a fixed order whatever order their results arrive in.
        return buffers.treeAggregate(new TreeSum(partitions), TreeSum::merge, TreeSum::merge, depth).total();
    }
}
