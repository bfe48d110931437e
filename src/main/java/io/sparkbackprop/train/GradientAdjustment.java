package io.sparkbackprop.train;

/**
 * What happens to a step's mean gradient before the optimizer sees it: the L2 penalty's term λ·W on the
 * weight matrices (biases are not penalised: shrinking them does nothing against over-fitting), then
 * clipping of the whole gradient to a largest Euclidean norm, which keeps one bad batch from throwing the
 * weights far. Both run on the driver, once per step.
 */
final class GradientAdjustment {
    private final double l2;
    private final double clipNorm;
    private final boolean[] weightMask;

    /** @param weightMask true at the positions of weight-matrix entries of the flat layout */
    GradientAdjustment(double l2, double clipNorm, boolean[] weightMask) {
        this.l2 = l2;
        this.clipNorm = clipNorm;
        this.weightMask = weightMask;
    }

    boolean changesAnything() {
        return l2 > 0 || clipNorm > 0;
    }

    /** The same on the entries at {@code indices} only (a lazy step's): the others are zero and stay so. */
    void apply(double[] w, double[] g, int[] indices) {
        if (l2 > 0) {
            for (int i : indices) if (weightMask[i]) g[i] += l2 * w[i];
        }
        if (clipNorm <= 0) return;
        double sq = 0;
        for (int i : indices) sq += g[i] * g[i];
        double norm = Math.sqrt(sq);
        if (norm > clipNorm) {
            double scale = clipNorm / norm;
            for (int i : indices) g[i] *= scale;
        }
    }

    /** Adjusts g in place and returns its norm before clipping (after the L2 term). */
    double apply(double[] w, double[] g) {
        if (l2 > 0) {
            for (int i = 0; i < g.length; i++) if (weightMask[i]) g[i] += l2 * w[i];
        }
        if (clipNorm <= 0) return Double.NaN;
        double sq = 0;
        for (double v : g) sq += v * v;
        double norm = Math.sqrt(sq);
        if (norm > clipNorm) {
            double scale = clipNorm / norm;
            for (int i = 0; i < g.length; i++) g[i] *= scale;
        }
        return norm;
    }
}
