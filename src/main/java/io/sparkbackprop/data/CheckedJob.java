package io.sparkbackprop.data;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

import java.util.function.LongSupplier;
import org.apache.hadoop.conf.Configuration;

/** Runs a Spark job whose tasks may find bad input, and rethrows what they found as the user should see it. */
final class CheckedJob {
    private CheckedJob() {
    }

    /** @param conf the configuration the job read its files with */
    static long run(Configuration conf, LongSupplier job) {
        try {
            return job.getAsLong();
        } catch (Exception e) {
            // A failed job ends in a SparkException, which Java counts as checked although Scala code
            // throws it undeclared: catch every Exception, and pass on whatever is not bad input unchanged.
            throw BadInputException.foundIn(e, conf).orElseThrow(() -> unchanged(e));
        }
    }

    /**
     * The reader's one pass over the input: checks every row and fills the frame's cache on the way, so that
     * the caller's jobs (class labels, scaling, blocks) read the checked rows from memory rather than parse the
     * files again. On failure nothing stays cached. The caller owns the cache: {@link LabeledData#release}.
     */
    static long countAndCache(Configuration conf, Dataset<Row> frame) {
        return run(conf, () -> cachedCount(frame));
    }

    /**
     * The counting pass itself, for a reader that explains failures its own way: caches, counts, and on any
     * failure (a SparkException too, which Java does not see coming) drops the partial cache and rethrows.
     */
    static long cachedCount(Dataset<Row> frame) {
        frame.persist(StorageLevel.MEMORY_AND_DISK());
        boolean counted = false;
        try {
            // Through the RDD rather than Dataset.count(): every column is computed, so every check runs.
            long rows = frame.javaRDD().count();
            counted = true;
            return rows;
        } finally {
            if (!counted) frame.unpersist(false);
        }
    }

    /** Rethrows {@code e} as it is, checked or not, so that a caller sees the same failure Spark raised. */
    @SuppressWarnings("unchecked")
    static <E extends Exception> RuntimeException unchanged(Exception e) throws E {
        throw (E) e;
    }
}
