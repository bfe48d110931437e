package io.sparkbackprop.nn;

/**
 * A pass's feature rows as the first layer reads them, a chunk at a time: dense in double or float (column-major,
 * {@link #dense}, {@link #single}) or compressed sparse rows ({@link SparseRows}). {@link Backprop} takes any of
 * them and never forks on which; each hands out a {@link LayerInput} view of a chunk through the workspace's
 * reusable views, so a pass allocates nothing per chunk.
 */
public interface Features {
    /** Rows held. */
    int rows();

    /** The first layer's view of rows [start, start + cols). */
    LayerInput chunk(Workspace ws, int start, int cols);

    /** m rows of width values each, column-major from x[offset]. */
    static Features dense(double[] x, int offset, int width, int m) {
        return new Features() {
            @Override
            public int rows() {
                return m;
            }

            @Override
            public LayerInput chunk(Workspace ws, int start, int cols) {
                return ws.input.of(x, offset + start * width, cols);
            }
        };
    }

    /** The same in float (a block cached for a float run): float products read it in place. */
    static Features single(float[] x, int offset, int width, int m) {
        return new Features() {
            @Override
            public int rows() {
                return m;
            }

            @Override
            public LayerInput chunk(Workspace ws, int start, int cols) {
                return ws.singleInput().of(x, offset + start * width, cols);
            }
        };
    }
}
