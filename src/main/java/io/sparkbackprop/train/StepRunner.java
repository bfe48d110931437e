package io.sparkbackprop.train;

import io.sparkbackprop.data.Block;
import io.sparkbackprop.nn.Topology;
import java.io.Serializable;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.SparkContext;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.RDD;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction2;
import scala.runtime.BoxedUnit;

/**
 * The Spark side of a step: one job that maps every partition to its summed buffer and adds the buffers up in an
 * order fixed by partition index (see {@link TreeSum}). Nothing here holds a reference to the driver's loop, so
 * what the tasks carry stays small.
 * <p>
 * At aggregation depth 1 (the default) the buffers come straight to the driver from one {@code runJob} whose
 * function is a plain class: that is what {@code treeAggregate} does at depth 1 (its tree has no level), without its
 * cost. Spark cleans every Scala closure an action creates by reading and parsing its class file (ClosureCleaner),
 * about 7 ms a step here, as much as the rest of a batch-1 step. Depth 2 or more keeps {@code treeAggregate}, whose
 * shuffle levels are the point of asking for them.
 */
final class StepRunner {
    private StepRunner() {
    }

    /** What a task computes from its partition: one buffer, added up over the partitions. */
    interface PartitionSum extends PartitionResult<double[]> {
    }

    /** The {@link StepSums} buffer of this step's batch, summed over the partitions. */
    static double[] gradient(TrainingSet data, Broadcast<double[]> weights, Topology t, BatchPlan plan, TrainingConfig config,
                             int epoch, int step) {
        int partitions = data.numPartitions();
        return sum(data, config.aggregationDepth(), (p, it) -> PartitionPass.gradient(it, p, partitions, t, weights.value(),
                plan, config, epoch, step));
    }

    /** Where a task finds the weights: a broadcast, or the replica a lazy sparse run keeps ({@link ShippedWeights}). */
    interface WeightSource extends Serializable {
        double[] get();
    }

    /** [loss sum, rows, correctly classified rows] over the whole set. */
    static double[] loss(TrainingSet data, WeightSource weights, Topology t, int chunk, int depth) {
        return sum(data, depth, (p, it) -> PartitionPass.loss(it, t, weights.get(), chunk));
    }

    /** Every partition's buffer added up in partition order; the local-steps job sums its buffers this way too. */
    static double[] sum(TrainingSet data, int depth, PartitionSum task) {
        int partitions = data.numPartitions();
        if (depth == 1) return direct(data.blocks().rdd(), partitions, task);
        JavaRDD<TreeSum> perPartition = data.blocks().mapPartitionsWithIndex(
                (p, it) -> List.of(TreeSum.leaf(partitions, p, task.of(p, it))).iterator(), false);
        // treeAggregate serializes its zero value into every task: this one holds no buffer, so it costs nothing.
        // The TreeSum adds partitions in a fixed order whatever order their results arrive in.
        return perPartition.treeAggregate(new TreeSum(partitions), TreeSum::merge, TreeSum::merge, depth).total();
    }

    private static double[] direct(RDD<Block> blocks, int partitions, PartitionSum task) {
        TreeSum total = new TreeSum(partitions);
        SparkContext sc = blocks.sparkContext();
        // Results are added as they arrive (Spark calls the handler one result at a time), so the driver holds the
        // partial sums of the tree, not every partition's buffer at once.
        sc.runJob(blocks, new OnPartitionResult<>(task), CollectionConverters.asScala(allPartitions(partitions)).toSeq(),
                new AbstractFunction2<Object, double[], BoxedUnit>() {
                    @Override
                    public BoxedUnit apply(Object partition, double[] buffer) {
                        total.merge(TreeSum.leaf(partitions, (Integer) partition, buffer));
                        return BoxedUnit.UNIT;
                    }
                }, DOUBLES);
        return total.total();
    }

    /** What a task computes from its partition when the driver wants every partition's result, not their sum. */
    interface PartitionResult<T> extends Serializable {
        T of(int partition, Iterator<Block> blocks);
    }

    /** Every partition's result, in partition order (one runJob; results kept as they arrive, ordered after). */
    @SuppressWarnings("unchecked")
    static <T> List<T> collect(TrainingSet data, PartitionResult<T> task) {
        int partitions = data.numPartitions();
        Object[] results = new Object[partitions];
        RDD<Block> blocks = data.blocks().rdd();
        blocks.sparkContext().runJob(blocks, new OnPartitionResult<>(task), CollectionConverters.asScala(allPartitions(partitions)).toSeq(),
                new AbstractFunction2<Object, T, BoxedUnit>() {
                    @Override
                    public BoxedUnit apply(Object partition, T result) {
                        results[(Integer) partition] = result;
                        return BoxedUnit.UNIT;
                    }
                }, (ClassTag<T>) ClassTag$.MODULE$.apply(Object.class));
        return (List<T>) java.util.Arrays.asList(results);
    }

    /**
     * The task's function as a named class: ClosureCleaner leaves an object that is not a closure alone (it only
     * checks that it serializes), where a lambda here would be wrapped in Scala closures and parsed every step.
     */
    private static final class OnPartitionResult<T> extends AbstractFunction2<TaskContext, scala.collection.Iterator<Block>, T>
            implements Serializable {
        private static final long serialVersionUID = 1L;
        private final PartitionResult<T> task;

        OnPartitionResult(PartitionResult<T> task) {
            this.task = task;
        }

        @Override
        public T apply(TaskContext context, scala.collection.Iterator<Block> blocks) {
            return task.of(context.partitionId(), CollectionConverters.asJava(blocks));
        }
    }

    private static final ClassTag<double[]> DOUBLES = ClassTag$.MODULE$.apply(double[].class);

    private static List<Object> allPartitions(int partitions) {
        Object[] ids = new Object[partitions];
        for (int p = 0; p < partitions; p++) ids[p] = p;
        return List.of(ids);
    }
}
