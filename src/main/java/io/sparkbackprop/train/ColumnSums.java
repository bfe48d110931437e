package io.sparkbackprop.train;

import io.sparkbackprop.nn.Topology;
import java.io.Serializable;
import java.util.Arrays;

/**
 * A partition's step sums on sparse input, carried compactly. The first layer's weight gradient comes in two parts
 * that add up: over sparse rows as its factors (each row's nonzeros and its δ, {@code rowStarts}, {@code rowIndices},
 * {@code rowValues}, {@code deltas}: dW = Σ_j δ_j·x_jᵀ, formed by the driver), and over dense rows (a dense block of
 * sparse input) as the input columns whose gradient is not all zero ({@code columns}, o values each in {@code values},
 * the weights' column-major layout). Then every other parameter's gradient ({@code rest}: the first layer's biases and
 * the layers above), the loss sum and the rows. A 2^18-input first layer of width 64 is 16.8 million weights; a step's
 * 256 rows touch ~22,000 of its columns (1.4 million values) with ~73,000 nonzeros.
 * A plain class, not a record: Spark's Kryo cannot read a record's fields.
 */
final class ColumnSums implements Serializable {
    private static final long serialVersionUID = 2L;

    final int[] columns;
    final double[] values;
    final int[] rowStarts;
    final int[] rowIndices;
    final double[] rowValues;
    final double[] deltas;
    final double[] rest;
    final double lossSum;
    final double rows;

    ColumnSums(int[] columns, double[] values, int[] rowStarts, int[] rowIndices, double[] rowValues, double[] deltas, double[] rest,
               double lossSum, double rows) {
        this.columns = columns;
        this.values = values;
        this.rowStarts = rowStarts;
        this.rowIndices = rowIndices;
        this.rowValues = rowValues;
        this.deltas = deltas;
        this.rest = rest;
        this.lossSum = lossSum;
        this.rows = rows;
    }

    /**
     * Takes the sums out of a task's dense {@link StepSums} buffer, leaving it zero for the next step: of the first
     * layer's columns only those marked {@code touched} are read (and unmarked), and kept if not all zero; and the
     * factors the pass deferred.
     */
    static ColumnSums takeFrom(double[] buffer, boolean[] touched, Topology t, io.sparkbackprop.nn.DeferredOuterProducts deferred) {
        int o = t.layer(0).outputs();
        int n = t.inputSize();
        int p = t.numParams();
        int[] cols = takeNonzeroColumns(touched, buffer, o);
        double[] vals = new double[cols.length * o];
        for (int k = 0; k < cols.length; k++) {
            System.arraycopy(buffer, cols[k] * o, vals, k * o, o);
            Arrays.fill(buffer, cols[k] * o, (cols[k] + 1) * o, 0.0);
        }
        double[] rest = Arrays.copyOfRange(buffer, o * n, p);
        io.sparkbackprop.nn.DeferredOuterProducts.Taken f = deferred.take();
        ColumnSums sums = new ColumnSums(cols, vals, f.starts(), f.indices(), f.values(), f.deltas(), rest, buffer[p], buffer[p + 1]);
        Arrays.fill(buffer, o * n, buffer.length, 0.0);
        return sums;
    }

    /**
     * The columns marked in {@code touched} whose o values in {@code g} (the weights' column-major layout) are not all
     * zero, increasing; every mark is cleared. What a task ships and what a lazy step updates: a column whose gradient
     * is all zero is left alone.
     */
    static int[] takeNonzeroColumns(boolean[] touched, double[] g, int o) {
        int[] cols = new int[1024];
        int k = 0;
        for (int c = 0; c < touched.length; c++) {
            if (!touched[c]) continue;
            touched[c] = false;
            boolean any = false;
            for (int i = c * o; i < (c + 1) * o; i++) any |= g[i] != 0;
            if (!any) continue;
            if (k == cols.length) cols = Arrays.copyOf(cols, 2 * k);
            cols[k++] = c;
        }
        return Arrays.copyOf(cols, k);
    }

    /** Adds the first layer's weight gradient into g (the weights' layout, o values a column), marking its columns. */
    void addFirstLayerInto(double[] g, boolean[] touched, int o) {
        for (int k = 0; k < columns.length; k++) {
            int at = columns[k] * o;
            touched[columns[k]] = true;
            for (int i = 0; i < o; i++) g[at + i] += values[k * o + i];
        }
        for (int j = 0; j + 1 < rowStarts.length; j++) {
            for (int p = rowStarts[j]; p < rowStarts[j + 1]; p++) {
                int c = rowIndices[p];
                touched[c] = true;
                AXPY.daxpy(o, rowValues[p], deltas, j * o, 1, g, c * o, 1);
            }
        }
    }

    /** Level 1 in Java lanes: one axpy per nonzero (a JNI crossing would cost more than it). */
    private static final dev.ludovic.netlib.blas.BLAS AXPY = dev.ludovic.netlib.blas.JavaBLAS.getInstance();

    /** Java serialization writes the {@link Packed} form ({@link DoubleArrays}); Kryo copies the fields. */
    private Object writeReplace() {
        return new Packed(this);
    }

    private static final class Packed implements Serializable {
        private static final long serialVersionUID = 2L;
        private final byte[][] arrays;
        private final double lossSum;
        private final double rows;

        Packed(ColumnSums s) {
            arrays = new byte[][] {DoubleArrays.pack(s.columns), DoubleArrays.pack(s.values), DoubleArrays.pack(s.rowStarts),
                DoubleArrays.pack(s.rowIndices), DoubleArrays.pack(s.rowValues), DoubleArrays.pack(s.deltas), DoubleArrays.pack(s.rest)};
            lossSum = s.lossSum;
            rows = s.rows;
        }

        private Object readResolve() {
            return new ColumnSums(DoubleArrays.unpackInts(arrays[0]), DoubleArrays.unpackDoubles(arrays[1]), DoubleArrays.unpackInts(arrays[2]),
                    DoubleArrays.unpackInts(arrays[3]), DoubleArrays.unpackDoubles(arrays[4]), DoubleArrays.unpackDoubles(arrays[5]),
                    DoubleArrays.unpackDoubles(arrays[6]), lossSum, rows);
        }
    }
}
