package io.sparkbackprop.train;

import io.sparkbackprop.nn.Topology;
import java.io.Serializable;
import java.util.Arrays;

/**
 * A partition's step sums on sparse input, carried compactly: of the first layer's weight gradient only the input
 * columns whose gradient is not all zero (their o values each, the weights' column-major layout), then every other
 * parameter's gradient ({@code rest}: the first layer's biases and the layers above), the loss sum and the rows.
 * A 2^18-input first layer of width 64 is 16.8 million weights; a step's rows touch a few thousand of its columns.
 * A plain class, not a record: Spark's Kryo cannot read a record's fields.
 */
final class ColumnSums implements Serializable {
    private static final long serialVersionUID = 1L;

    final int[] columns;
    final double[] values;
    final double[] rest;
    final double lossSum;
    final double rows;

    ColumnSums(int[] columns, double[] values, double[] rest, double lossSum, double rows) {
        this.columns = columns;
        this.values = values;
        this.rest = rest;
        this.lossSum = lossSum;
        this.rows = rows;
    }

    /**
     * Takes the sums out of a task's dense {@link StepSums} buffer, leaving it zero for the next step: of the first
     * layer's columns only those marked {@code touched} are read (and unmarked), and kept if not all zero.
     */
    static ColumnSums takeFrom(double[] buffer, boolean[] touched, Topology t) {
        int o = t.layer(0).outputs();
        int n = t.inputSize();
        int p = t.numParams();
        int[] cols = new int[64];
        double[] vals = new double[64 * o];
        int k = 0;
        for (int c = 0; c < n; c++) {
            if (!touched[c]) continue;
            touched[c] = false;
            int from = c * o;
            boolean any = false;
            for (int i = from; i < from + o; i++) any |= buffer[i] != 0;
            if (!any) continue;
            if (k == cols.length) {
                cols = Arrays.copyOf(cols, 2 * k);
                vals = Arrays.copyOf(vals, 2 * k * o);
            }
            cols[k] = c;
            System.arraycopy(buffer, from, vals, k * o, o);
            Arrays.fill(buffer, from, from + o, 0.0);
            k++;
        }
        double[] rest = Arrays.copyOfRange(buffer, o * n, p);
        ColumnSums sums = new ColumnSums(Arrays.copyOf(cols, k), Arrays.copyOf(vals, k * o), rest, buffer[p], buffer[p + 1]);
        Arrays.fill(buffer, o * n, buffer.length, 0.0);
        return sums;
    }

    /** Java serialization writes the {@link Packed} form ({@link DoubleArrays}); Kryo copies the fields. */
    private Object writeReplace() {
        return new Packed(DoubleArrays.pack(columns), DoubleArrays.pack(values), DoubleArrays.pack(rest), lossSum, rows);
    }

    private static final class Packed implements Serializable {
        private static final long serialVersionUID = 1L;
        private final byte[] columns;
        private final byte[] values;
        private final byte[] rest;
        private final double lossSum;
        private final double rows;

        Packed(byte[] columns, byte[] values, byte[] rest, double lossSum, double rows) {
            this.columns = columns;
            this.values = values;
            this.rest = rest;
            this.lossSum = lossSum;
            this.rows = rows;
        }

        private Object readResolve() {
            return new ColumnSums(DoubleArrays.unpackInts(columns), DoubleArrays.unpackDoubles(values), DoubleArrays.unpackDoubles(rest),
                    lossSum, rows);
        }
    }
}
