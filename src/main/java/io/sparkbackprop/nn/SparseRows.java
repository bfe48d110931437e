package io.sparkbackprop.nn;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Rows of features stored as compressed sparse rows (CSR): row j's nonzeros are {@code indices[starts[j] … starts[j+1])}
 * in increasing order, with their values (double, or float in rows {@link #inSingle() made for} a float run).
 * Why rows and not columns: the weights are column-major (o × width), so both products that read the input, Z += W·X
 * and dW += δ·Xᵀ, touch one contiguous column of o weights per nonzero of a row; compressed columns would serve
 * neither better. A block of sparse rows costs 12 bytes a nonzero in double (8 in float) plus 4 a row.
 */
public final class SparseRows implements Features, Serializable {
    private static final long serialVersionUID = 1L;

    private final int width;
    private final int rows;
    private final int[] starts;
    private final int[] indices;
    /** Exactly one of the two holds the values. */
    private final double[] values;
    private final float[] singleValues;

    private SparseRows(int width, int[] starts, int[] indices, double[] values, float[] singleValues) {
        this(width, starts.length - 1, starts, indices, values, singleValues);
    }

    private SparseRows(int width, int rows, int[] starts, int[] indices, double[] values, float[] singleValues) {
        this.width = width;
        this.rows = rows;
        this.starts = starts;
        this.indices = indices;
        this.values = values;
        this.singleValues = singleValues;
    }

    /**
     * Checked rows: starts (rows + 1 entries, from 0, non-decreasing, ending at the nonzeros), indices strictly
     * increasing within a row and in [0, width). The arrays are kept, not copied.
     */
    public static SparseRows of(int width, int[] starts, int[] indices, double[] values) {
        check(width, starts, indices, values.length);
        return new SparseRows(width, starts, indices, values, null);
    }

    private static void check(int width, int[] starts, int[] indices, int valueCount) {
        if (starts.length == 0 || starts[0] != 0 || starts[starts.length - 1] != indices.length || valueCount != indices.length) {
            throw new IllegalArgumentException("sparse rows' offsets do not match their " + indices.length + " nonzeros");
        }
        for (int j = 0; j + 1 < starts.length; j++) {
            if (starts[j + 1] < starts[j]) throw new IllegalArgumentException("sparse row " + j + " ends before it starts");
            for (int p = starts[j]; p < starts[j + 1]; p++) {
                int c = indices[p];
                if (c < 0 || c >= width) {
                    throw new IllegalArgumentException("sparse row " + j + " has index " + c + " outside [0, " + width + ")");
                }
                if (p > starts[j] && c <= indices[p - 1]) {
                    throw new IllegalArgumentException("sparse row " + j + " has index " + c + " after " + indices[p - 1]
                            + ": indices must increase within a row");
                }
            }
        }
    }

    /**
     * The first {@code rows} rows of buffers that may be longer than they need (a gather's reused arrays): starts has at
     * least rows + 1 entries and the rows' nonzeros are the first starts[rows] of indices and values. Not checked:
     * for rows copied from checked ones.
     */
    public static SparseRows prefix(int width, int rows, int[] starts, int[] indices, double[] values) {
        return new SparseRows(width, rows, starts, indices, values, null);
    }

    @Override
    public int rows() {
        return rows;
    }

    public int width() {
        return width;
    }

    /** Nonzeros held. */
    public int nonzeros() {
        return starts[rows];
    }

    /** Whether the values are float ({@link #inSingle}). */
    public boolean single() {
        return singleValues != null;
    }

    /** Row j's first nonzero's position; its nonzeros end at {@code start(j + 1)}. */
    public int start(int j) {
        return starts[j];
    }

    public int index(int p) {
        return indices[p];
    }

    /** The value of nonzero p, as double (a float value widened exactly). */
    public double value(int p) {
        return values != null ? values[p] : singleValues[p];
    }

    /** The same rows with every value rounded to float; rows already in float are returned as they are. */
    public SparseRows inSingle() {
        if (single()) return this;
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) f[i] = (float) values[i];
        return new SparseRows(width, starts, indices, null, f);
    }

    /** The same positions with new double values (e.g. scaled ones), sharing the offsets and indices. */
    public SparseRows withValues(double[] newValues) {
        if (newValues.length != indices.length) throw new IllegalArgumentException(newValues.length + " values for " + indices.length + " nonzeros");
        return new SparseRows(width, starts, indices, newValues, null);
    }

    /** The values in double (a copy for float rows). */
    public double[] values() {
        if (values != null) return values;
        double[] d = new double[singleValues.length];
        for (int i = 0; i < d.length; i++) d[i] = singleValues[i];
        return d;
    }

    /** Bytes the arrays hold: what a cached block of these rows costs beyond its labels. */
    public long bytes() {
        return 4L * starts.length + 4L * indices.length + (values != null ? 8L : 4L) * indices.length;
    }

    /** Stored values per row and feature: nonzeros / (rows × width). */
    public double density() {
        return rows == 0 ? 0 : (double) nonzeros() / ((double) rows * width);
    }

    @Override
    public LayerInput chunk(Workspace ws, int start, int cols) {
        return ws.sparseInput().of(starts, indices, values, singleValues, start, cols);
    }

    /** Row j's nonzeros written into a dense column of width values (zeros elsewhere), at out[outOff…]. */
    public void scatterRow(int j, double[] out, int outOff) {
        Arrays.fill(out, outOff, outOff + width, 0.0);
        for (int p = starts[j]; p < starts[j + 1]; p++) out[outOff + indices[p]] = value(p);
    }
}
