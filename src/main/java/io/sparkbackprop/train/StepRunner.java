package io.sparkbackprop.train;

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

    /** The {@link StepSums} buffer of this step's batch, summed over the partitions. */
    static double[] gradient(TrainingSet data, Broadcast<double[]> weights, Topology t, BatchPlan plan, TrainingConfig config,
                             int epoch, int step) {
        int partitions = data.numPartitions();
        JavaRDD<TreeSum> perPartition = data.blocks().mapPartitionsWithIndex((p, it) -> java.util.List.of(TreeSum.leaf(
                partitions, p, PartitionPass.gradient(it, p, partitions, t, weights.value(), plan, config, epoch, step))).iterator(),
                false);
        return sum(perPartition, partitions, config.aggregationDepth());
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
        // treeAggregate serializes its zero value into every task: this one holds no buffer, so it costs nothing.
        // The TreeSum adds partitions in a fixed order whatever order their results arrive in.
        return buffers.treeAggregate(new TreeSum(partitions), TreeSum::merge, TreeSum::merge, depth).total();
    }
}
