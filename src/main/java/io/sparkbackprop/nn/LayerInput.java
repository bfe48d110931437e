package io.sparkbackprop.nn;

/**
 * What a layer reads: m rows of its input, as the two products that touch the input need them. The first layer reads
 * a block's features through it (dense: {@link DenseInput}, {@link DenseSingleInput}; sparse rows: {@link SparseInput}),
 * every other layer the output of the layer below ({@link DenseInput}, or {@link SingleInput} in a float pass); no layer
 * needs to know which it reads. Matrices are column-major: W is (o × width) and δ (o × m).
 */
public interface LayerInput {
    /** Values per row. */
    int width();

    /** Rows in this input. */
    int rows();

    /** z (o × m) += W·X, in double. */
    void multiplyAdd(double[] w, int wOff, int o, double[] z);

    /** z (o × m) = W·X, in single precision. */
    void multiply(float[] w, int wOff, int o, float[] z);

    /** grad[gOff…] (o × width) += δ·Xᵀ, in double. */
    void addOuterProduct(double[] delta, int o, double[] grad, int gOff);

    /** sums[sOff…] (o × width) += δ·Xᵀ, in single precision. */
    void addOuterProduct(float[] delta, int o, float[] sums, int sOff);
}
