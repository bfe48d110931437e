package io.sparkbackprop.nn;

/**
 * Dense rows held in float (a block cached for a float run) as a {@link LayerInput}: the float products read them in
 * place. The double products, which only the forward passes in double (loss, accuracy) use, read a double copy of
 * the chunk, made on first use and shared by both; the values are the floats exactly, so a loss in double over these
 * rows is the loss of the float-rounded features.
 */
public final class DenseSingleInput implements LayerInput {
    private final int width;
    private final int capacity;
    private float[] values;
    private int offset;
    private int rows;
    private double[] widened;
    private boolean widenedCurrent;

    /** A view of up to {@code capacity} rows of {@code width} values. */
    public DenseSingleInput(int width, int capacity) {
        this.width = width;
        this.capacity = capacity;
    }

    /** Aims the view at rows values[offset…] (m × width values); returns this. */
    public DenseSingleInput of(float[] values, int offset, int m) {
        if (m > capacity) throw new IllegalArgumentException(m + " rows exceed the input's capacity " + capacity);
        this.values = values;
        this.offset = offset;
        this.rows = m;
        this.widenedCurrent = false;
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
        Blas.BLAS.dgemm("N", "N", o, rows, width, 1.0, w, wOff, o, widened(), 0, width, 1.0, z, 0, o);
    }

    @Override
    public void multiply(float[] w, int wOff, int o, float[] z) {
        Blas.BLAS.sgemm("N", "N", o, rows, width, 1f, w, wOff, o, values, offset, width, 0f, z, 0, o);
    }

    @Override
    public void addOuterProduct(double[] delta, int o, double[] grad, int gOff) {
        Blas.BLAS.dgemm("N", "T", o, width, rows, 1.0, delta, 0, o, widened(), 0, width, 1.0, grad, gOff, o);
    }

    @Override
    public void addOuterProduct(float[] delta, int o, float[] sums, int sOff) {
        Blas.BLAS.sgemm("N", "T", o, width, rows, 1f, delta, 0, o, values, offset, width, 1f, sums, sOff, o);
    }

    private double[] widened() {
        if (!widenedCurrent) {
            if (widened == null) widened = new double[width * capacity];
            int n = width * rows;
            for (int i = 0; i < n; i++) widened[i] = values[offset + i];
            widenedCurrent = true;
        }
        return widened;
    }
}
