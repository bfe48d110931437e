package io.sparkbackprop.train;

import io.sparkbackprop.nn.Topology;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;

/**
 * The Spark side of a step: one job that maps every partition to its summed gradient buffer and
 * combines the buffers with treeAggregate. Nothing here holds a reference to the driver's loop, so the
 * closures stay small.
 */
final class StepRunner {
    private StepRunner() {
    }

    /** [gradient sum (numParams), loss sum, rows] over this step's batch. */
    static double[] gradient(TrainingSet data, Broadcast<double[]> weights, Topology t, BatchPlan plan, long seed,
                             int epoch, int step, int chunk, int depth) {
        JavaRDD<double[]> perPartition = data.blocks().mapPartitionsWithIndex((p, it) -> java.util.List.of(
                PartitionPass.gradient(it, p, t, weights.value(), plan, seed, epoch, step, chunk)).iterator(), false);
        return sum(perPartition, t.numParams() + 2, depth);
    }

    /** [loss sum, rows] over the whole set. */
    static double[] loss(TrainingSet data, Broadcast<double[]> weights, Topology t, int chunk, int depth) {
        JavaRDD<double[]> perPartition = data.blocks().mapPartitions(it -> java.util.List.of(
                PartitionPass.loss(it, t, weights.value(), chunk)).iterator());
        return sum(perPartition, 2, depth);
    }

    private static double[] sum(JavaRDD<double[]> buffers, int length, int depth) {
        // The zero is empty so that it costs nothing to ship with every task (see spark-notes).
        double[] total = buffers.treeAggregate(new double[0], StepRunner::add, StepRunner::add, depth);
        return total.length == 0 ? new double[length] : total;
    }

    static double[] add(double[] a, double[] b) {
        if (a.length == 0) return b;
        if (b.length == 0) return a;
        for (int i = 0; i < a.length; i++) a[i] += b[i];
        return a;
    }
}
