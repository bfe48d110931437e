package io.sparkbackprop.data;

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

    /** Rethrows {@code e} as it is, checked or not, so that a caller sees the same failure Spark raised. */
    @SuppressWarnings("unchecked")
    static <E extends Exception> RuntimeException unchanged(Exception e) throws E {
        throw (E) e;
    }
}
