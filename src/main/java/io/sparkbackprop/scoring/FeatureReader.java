package io.sparkbackprop.scoring;

import java.io.Serializable;
import org.apache.spark.sql.Row;

/** How a row's features reach a chunk: written as one column of n values into the chunk's column-major buffer. */
public interface FeatureReader extends Serializable {
    /** Writes the features of {@code row} (the partition's row number {@code index}, for errors) into x[off, off + n). */
    void read(Row row, long index, double[] x, int off);

    /** Whether this row's features come sparse (then a chunk that starts with it is gathered sparse, never dense). */
    default boolean sparse(Row row) {
        return false;
    }

    /** Appends the row's nonzeros as the next row of a sparse chunk; only for readers whose rows can be {@link #sparse}. */
    default void readSparse(Row row, long index, SparseChunk into) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " reads dense rows only");
    }
}
