package io.sparkbackprop.nn;

import java.util.Arrays;

/**
 * The first layer's weight gradient over sparse rows, kept as its factors instead of summed: each row's nonzeros
 * and its δ (o values), so that dW = Σ_j δ_j·x_jᵀ can be formed where it is needed. A step's rows have far fewer
 * nonzeros than the o values of every column they touch (SpamAssassin, 256 rows: 73,000 nonzeros, 22,000 columns ×
 * 64 = 1.4 million values): a task ships the factors, the driver forms the product.
 */
public final class DeferredOuterProducts {
    private int rows;
    private int[] starts = new int[257];
    private int[] indices = new int[4096];
    private double[] values = new double[4096];
    private double[] deltas = new double[4096];
    private int o = -1;

    /** Appends rows [first, first + m) of compressed rows and their δ (o × m, column-major). */
    void add(int[] rowStarts, int[] rowIndices, double[] rowValues, float[] singleValues, int first, int m, double[] delta,
             float[] singleDelta, int outputs) {
        if (o >= 0 && o != outputs) throw new IllegalStateException("deferred products of layers of " + o + " and " + outputs + " units");
        o = outputs;
        int nz = rowStarts[first + m] - rowStarts[first];
        int at = nonzeros();
        if ((long) (rows + m) * o > Integer.MAX_VALUE - 8 || (long) at + nz > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("a step's deferred rows outgrow an array: " + (rows + m) + " rows of " + o + " δs, "
                    + ((long) at + nz) + " nonzeros; give a smaller batch size");
        }
        if (rows + m + 1 > starts.length) starts = Arrays.copyOf(starts, Math.max(2 * starts.length, rows + m + 1));
        if (at + nz > indices.length) {
            int size = Math.max(2 * indices.length, at + nz);
            indices = Arrays.copyOf(indices, size);
            values = Arrays.copyOf(values, size);
        }
        if ((rows + m) * o > deltas.length) deltas = Arrays.copyOf(deltas, Math.max(2 * deltas.length, (rows + m) * o));
        for (int j = 0; j < m; j++) {
            for (int p = rowStarts[first + j]; p < rowStarts[first + j + 1]; p++) {
                indices[at] = rowIndices[p];
                values[at++] = rowValues != null ? rowValues[p] : singleValues[p];
            }
            starts[rows + j + 1] = at;
            for (int i = 0; i < o; i++) {
                deltas[(rows + j) * o + i] = delta != null ? delta[j * o + i] : singleDelta[j * o + i];
            }
        }
        rows += m;
    }

    public int rows() {
        return rows;
    }

    public int nonzeros() {
        return starts[rows];
    }

    /** The rows' offsets (rows + 1), indices, values and δs (o per row), trimmed copies; then empty again. */
    public Taken take() {
        Taken t = new Taken(Arrays.copyOf(starts, rows + 1), Arrays.copyOf(indices, nonzeros()), Arrays.copyOf(values, nonzeros()),
                Arrays.copyOf(deltas, rows * Math.max(o, 0)));
        rows = 0;
        return t;
    }

    /** Starts again from no rows (a failed pass's leftovers). */
    public void clear() {
        rows = 0;
    }

    /** What {@link #take} hands over. */
    public record Taken(int[] starts, int[] indices, double[] values, double[] deltas) {
    }
}
