package io.sparkbackprop.data;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Supplier;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Data made on the executors. Only partition numbers travel from the driver: rows parallelized from the
 * driver would ride inside every task, cached or not (Spark ships a parallelized collection's partition with
 * each task that reads it; measured: 3.4 MB a task, twice the step time). Partition p of P makes rows
 * [⌊N·p/P⌋, ⌊N·(p+1)/P⌋), so the data depends only on N, P and the generator's own seeding.
 */
public final class Generated {
    /** Makes one partition's rows; runs on an executor. */
    @FunctionalInterface
    public interface PartitionRows<T> extends Serializable {
        Iterator<T> make(int partition, long count);
    }

    private Generated() {
    }

    public static <T> JavaRDD<T> perPartition(JavaSparkContext sc, long rows, int partitions, PartitionRows<T> make) {
        List<Integer> ids = new ArrayList<>();
        for (int p = 0; p < partitions; p++) ids.add(p);
        return sc.parallelize(ids, partitions).mapPartitions(it -> {
            int p = it.next();
            return make.make(p, rows * (p + 1) / partitions - rows * p / partitions);
        });
    }

    /** The next {@code count} values of a generator, lazily. */
    public static <T> Iterator<T> take(long count, Supplier<T> next) {
        return new Iterator<>() {
            long left = count;

            @Override
            public boolean hasNext() {
                return left > 0;
            }

            @Override
            public T next() {
                if (left <= 0) throw new NoSuchElementException();
                left--;
                return next.get();
            }
        };
    }
}
