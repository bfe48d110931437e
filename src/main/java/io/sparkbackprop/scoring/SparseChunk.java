package io.sparkbackprop.scoring;

import io.sparkbackprop.nn.SparseRows;
import java.util.Arrays;

/**
 * A chunk's rows as compressed sparse rows, gathered one nonzero at a time into buffers reused from chunk to chunk
 * (they grow to the largest chunk's nonzeros and stay).
 */
public final class SparseChunk {
    private final int width;
    private final int[] starts;
    private int[] indices = new int[4096];
    private double[] values = new double[4096];
    private int rows;

    SparseChunk(int width, int capacity) {
        this.width = width;
        this.starts = new int[capacity + 1];
    }

    void clear() {
        rows = 0;
        pending = 0;
    }

    /** Appends a nonzero to the row being gathered (indices in increasing order). */
    public void add(int index, double value) {
        int next = nonzerosSoFar();
        if (next == indices.length) {
            indices = Arrays.copyOf(indices, 2 * next);
            values = Arrays.copyOf(values, 2 * next);
        }
        indices[next] = index;
        values[next] = value;
        pending++;
    }

    private int pending;

    private int nonzerosSoFar() {
        return starts[rows] + pending;
    }

    /** Ends the row being gathered. */
    public void endRow() {
        starts[rows + 1] = starts[rows] + pending;
        pending = 0;
        rows++;
    }

    /** The rows gathered so far, as the kernel reads them (valid until the next {@link #clear}). */
    SparseRows rowsSoFar() {
        return SparseRows.prefix(width, rows, starts, indices, values);
    }

    /** The values of the gathered nonzeros, for scaling them in place. */
    double[] values() {
        return values;
    }

    int nonzeros() {
        return starts[rows];
    }

    int index(int p) {
        return indices[p];
    }
}
