package io.sparkbackprop.nn;

/**
 * A hidden layer's float output as the layer above reads it in a float pass ({@link LayerArithmetic.Single}): a
 * view of m columns of width values in a float array, re-aimed chunk by chunk. Only the float products read it; a
 * double product on it is a bug in the pass, not a conversion to make silently.
 */
final class SingleInput implements LayerInput {
    private final int width;
    private final int capacity;
    private float[] values;
    private int rows;

    SingleInput(int width, int capacity) {
        this.width = width;
        this.capacity = capacity;
    }

    SingleInput of(float[] values, int m) {
        if (m > capacity) throw new IllegalArgumentException(m + " rows exceed the input's capacity " + capacity);
        this.values = values;
        this.rows = m;
        return this;
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public void multiplyAdd(double[] w, int wOff, int o, double[] z) {
        throw new UnsupportedOperationException("a float pass's hidden output is read by float products only");
    }

    @Override
    public void multiply(float[] w, int wOff, int o, float[] z) {
        Blas.BLAS.sgemm("N", "N", o, rows, width, 1f, w, wOff, o, values, 0, width, 0f, z, 0, o);
    }

    @Override
    public void addOuterProduct(double[] delta, int o, double[] grad, int gOff) {
        throw new UnsupportedOperationException("a float pass's hidden output is read by float products only");
    }

    @Override
    public void addOuterProduct(float[] delta, int o, float[] sums, int sOff) {
        Blas.BLAS.sgemm("N", "T", o, width, rows, 1f, delta, 0, o, values, 0, width, 1f, sums, sOff, o);
    }
}
