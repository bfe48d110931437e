package io.sparkbackprop.nn;

/**
 * Dense rows as a {@link LayerInput}: a view of m columns of width values (column-major) in a double array,
 * re-aimed chunk by chunk without allocating. Its single-precision copy is made on first use and then serves
 * both float products of the chunk (the forward Z and the layer's dW), so a float pass converts each chunk's
 * input once.
 */
public final class DenseInput implements LayerInput {
    private final int width;
    private final int capacity;
    private double[] values;
    private int offset;
    private int rows;
    private float[] single;
    private boolean singleCurrent;

    /** A view of up to {@code capacity} rows of {@code width} values. */
    public DenseInput(int width, int capacity) {
        this.width = width;
        this.capacity = capacity;
    }

    /** Aims the view at rows values[offset…] (m × width values); returns this. */
    public DenseInput of(double[] values, int offset, int m) {
        if (m > capacity) throw new IllegalArgumentException(m + " rows exceed the input's capacity " + capacity);
        this.values = values;
        this.offset = offset;
        this.rows = m;
        this.singleCurrent = false;
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
        Blas.BLAS.dgemm("N", "N", o, rows, width, 1.0, w, wOff, o, values, offset, width, 1.0, z, 0, o);
    }

    @Override
    public void multiply(float[] w, int wOff, int o, float[] z) {
        Blas.BLAS.sgemm("N", "N", o, rows, width, 1f, w, wOff, o, single(), 0, width, 0f, z, 0, o);
    }

    @Override
    public void addOuterProduct(double[] delta, int o, double[] grad, int gOff) {
        Blas.BLAS.dgemm("N", "T", o, width, rows, 1.0, delta, 0, o, values, offset, width, 1.0, grad, gOff, o);
    }

    @Override
    public void addOuterProduct(float[] delta, int o, float[] sums, int sOff) {
        Blas.BLAS.sgemm("N", "T", o, width, rows, 1f, delta, 0, o, single(), 0, width, 1f, sums, sOff, o);
    }

    private float[] single() {
        if (!singleCurrent) {
            if (single == null) single = new float[width * capacity];
            Blas.toFloat(values, offset, single, 0, width * rows);
            singleCurrent = true;
        }
        return single;
    }
}
