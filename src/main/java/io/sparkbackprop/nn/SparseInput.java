package io.sparkbackprop.nn;

import dev.ludovic.netlib.blas.BLAS;

/**
 * Compressed sparse rows as a {@link LayerInput}: the first layer's products over a chunk's nonzeros only, each
 * nonzero (c, v) of row j one axpy of o values, z[:, j] += v·W[:, c] forward and dW[:, c] += v·δ[:, j] for the
 * gradient: cost ∝ nonzeros × o, whatever the width. Values in double or float are read by products of either
 * precision (a float value widens exactly; a double one is rounded as the float pass rounds a dense chunk).
 * <p>
 * The axpys go to netlib's Java BLAS (the Vector API's lanes), not the native one: a JNI crossing per 64-value
 * axpy would cost more than the axpy.
 */
final class SparseInput implements LayerInput {
    private static final BLAS LEVEL1 = dev.ludovic.netlib.blas.JavaBLAS.getInstance();

    private final int width;
    private final int capacity;
    private int[] starts;
    private int[] indices;
    private double[] values;
    private float[] singleValues;
    private int first;
    private int rows;
    /** When set, the weight gradient's outer products are kept as factors here instead of summed. */
    private DeferredOuterProducts deferred;

    SparseInput(int width, int capacity) {
        this.width = width;
        this.capacity = capacity;
    }

    /** Keeps the outer products' factors in {@code sink} from now on (null: sums them again). */
    void deferInto(DeferredOuterProducts sink) {
        this.deferred = sink;
    }

    SparseInput of(int[] starts, int[] indices, double[] values, float[] singleValues, int first, int m) {
        if (m > capacity) throw new IllegalArgumentException(m + " rows exceed the input's capacity " + capacity);
        this.starts = starts;
        this.indices = indices;
        this.values = values;
        this.singleValues = singleValues;
        this.first = first;
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
        for (int j = 0; j < rows; j++) {
            int end = starts[first + j + 1];
            for (int p = starts[first + j]; p < end; p++) {
                LEVEL1.daxpy(o, value(p), w, wOff + indices[p] * o, 1, z, j * o, 1);
            }
        }
    }

    @Override
    public void multiply(float[] w, int wOff, int o, float[] z) {
        java.util.Arrays.fill(z, 0, o * rows, 0f);
        for (int j = 0; j < rows; j++) {
            int end = starts[first + j + 1];
            for (int p = starts[first + j]; p < end; p++) {
                LEVEL1.saxpy(o, singleValue(p), w, wOff + indices[p] * o, 1, z, j * o, 1);
            }
        }
    }

    @Override
    public void addOuterProduct(double[] delta, int o, double[] grad, int gOff) {
        if (deferred != null) {
            deferred.add(starts, indices, values, singleValues, first, rows, delta, null, o);
            return;
        }
        for (int j = 0; j < rows; j++) {
            int end = starts[first + j + 1];
            for (int p = starts[first + j]; p < end; p++) {
                LEVEL1.daxpy(o, value(p), delta, j * o, 1, grad, gOff + indices[p] * o, 1);
            }
        }
    }

    @Override
    public void addOuterProduct(float[] delta, int o, float[] sums, int sOff) {
        if (deferred != null) {
            deferred.add(starts, indices, values, singleValues, first, rows, null, delta, o);
            return;
        }
        for (int j = 0; j < rows; j++) {
            int end = starts[first + j + 1];
            for (int p = starts[first + j]; p < end; p++) {
                LEVEL1.saxpy(o, singleValue(p), delta, j * o, 1, sums, sOff + indices[p] * o, 1);
            }
        }
    }

    private double value(int p) {
        return values != null ? values[p] : singleValues[p];
    }

    private float singleValue(int p) {
        return singleValues != null ? singleValues[p] : (float) values[p];
    }
}
