package io.sparkbackprop.nn;

/**
 * Forward/backward over a run of samples with weights fixed for the kernel's lifetime (one task's step):
 * what {@link Backprop#accumulateGradient} does, in the arithmetic of a {@link Precision}.
 */
@FunctionalInterface
public interface GradientKernel {
    /**
     * Adds Σ w_j ∇loss_j of m samples into {@code grad} (flat layout of the weights) and returns Σ w_j loss_j;
     * rowWeights null means all ones, dropout null (or rate 0) none. Layouts as in {@link Backprop}.
     */
    double accumulateGradient(double[] x, int xOff, double[] y, int yOff, double[] rowWeights, int rwOff, int m,
                              double[] grad, Dropout dropout);
}
