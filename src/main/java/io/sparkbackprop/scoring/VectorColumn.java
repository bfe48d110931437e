package io.sparkbackprop.scoring;

import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;

/**
 * Features from one Vector column, dense or sparse: a dense vector is copied, a sparse one scattered over zeros, so
 * no row allocates (a {@code toArray} per row would). A null or a vector of another size stops with the column,
 * the row and what to do.
 */
public final class VectorColumn implements FeatureReader {
    private static final long serialVersionUID = 1L;
    private final String name;
    private final int index;
    private final int size;

    /** The column {@code name} at position {@code index} of the rows, holding vectors of {@code size} values. */
    public VectorColumn(String name, int index, int size) {
        this.name = name;
        this.index = index;
        this.size = size;
    }

    @Override
    public void read(Row row, long rowIndex, double[] x, int off) {
        Vector v = checked(row, rowIndex);
        if (v instanceof DenseVector d) {
            System.arraycopy(d.values(), 0, x, off, size);
        } else {
            SparseVector s = (SparseVector) v;
            java.util.Arrays.fill(x, off, off + size, 0.0);
            int[] indices = s.indices();
            double[] values = s.values();
            for (int i = 0; i < indices.length; i++) x[off + indices[i]] = values[i];
        }
    }

    @Override
    public boolean sparse(Row row) {
        return !row.isNullAt(index) && row.get(index) instanceof SparseVector;
    }

    @Override
    public void readSparse(Row row, long rowIndex, SparseChunk into) {
        Vector v = checked(row, rowIndex);
        if (v instanceof SparseVector s) {
            int[] indices = s.indices();
            double[] values = s.values();
            for (int i = 0; i < indices.length; i++) if (values[i] != 0) into.add(indices[i], values[i]);
        } else {
            double[] values = ((DenseVector) v).values();
            for (int i = 0; i < values.length; i++) if (values[i] != 0) into.add(i, values[i]);
        }
        into.endRow();
    }

    private Vector checked(Row row, long rowIndex) {
        if (row.isNullAt(index)) {
            throw new IllegalArgumentException("row " + rowIndex + " of its partition has a null in the features column '" + name
                    + "': drop or fill such rows before scoring");
        }
        Vector v = row.getAs(index);
        if (v.size() != size) {
            throw new IllegalArgumentException("row " + rowIndex + " of its partition has " + v.size() + " values in the features column '"
                    + name + "' but the model was fitted on " + size + " features; assemble the same feature columns as at fit time");
        }
        return v;
    }
}
