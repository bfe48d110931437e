package io.sparkbackprop.scoring;

import java.io.Serializable;
import org.apache.spark.sql.Row;

/** How a row's features reach a chunk: written as one column of n values into the chunk's column-major buffer. */
public interface FeatureReader extends Serializable {
    /** Writes the features of {@code row} (the partition's row number {@code index}, for errors) into x[off, off + n). */
    void read(Row row, long index, double[] x, int off);
}
