package io.sparkbackprop.nn;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Per-sample losses and their gradients with respect to the output layer's pre-activation Z.
 * Blocks hold m samples as columns; the kernel weighs and sums the per-sample values so that partitions
 * can add their sums and the driver divides once by the batch's (weighted) row count.
 */
public enum Loss {
    /** Mean over outputs of (ŷ−y)²; per-sample gradient 2(ŷ−y)/k, times g'(Z) of the output activation. */
    MSE("mse", null) {
        @Override void lossAndDelta(Activation out, double[] z, double[] a, double[] y, int yOff,
                                    double[] delta, int k, int m, double[] sampleLoss) {
            for (int i = 0; i < k * m; i++) delta[i] = 2.0 * (a[i] - y[yOff + i]) / k;
            out.multiplyDerivative(z, a, delta, k * m);
            loss(z, a, y, yOff, k, m, sampleLoss);
        }
        @Override void loss(double[] z, double[] a, double[] y, int yOff, int k, int m, double[] sampleLoss) {
            for (int j = 0; j < m; j++) {
                double sum = 0;
                for (int r = j * k; r < (j + 1) * k; r++) {
                    double diff = a[r] - y[yOff + r];
                    sum += diff * diff;
                }
                sampleLoss[j] = sum / k;
            }
        }
    },
    /** Logistic loss −y log a −(1−y) log(1−a), a = σ(z), mean over outputs; computed from Z for stability. */
    BCE("bce", Activation.SIGMOID) {
        @Override void lossAndDelta(Activation out, double[] z, double[] a, double[] y, int yOff,
                                    double[] delta, int k, int m, double[] sampleLoss) {
            for (int i = 0; i < k * m; i++) delta[i] = (a[i] - y[yOff + i]) / k;
            loss(z, a, y, yOff, k, m, sampleLoss);
        }
        @Override void loss(double[] z, double[] a, double[] y, int yOff, int k, int m, double[] sampleLoss) {
            for (int j = 0; j < m; j++) {
                double sum = 0;
                for (int r = j * k; r < (j + 1) * k; r++) {
                    double zr = z[r];
                    // log(1+e^z) − y z, rewritten so neither exp nor log overflows.
                    sum += Math.max(zr, 0) - zr * y[yOff + r] + Math.log1p(Math.exp(-Math.abs(zr)));
                }
                sampleLoss[j] = sum / k;
            }
        }
    },
    /** −log softmax(z)_c for the integer class label c (one label value per sample). */
    CROSS_ENTROPY("cross-entropy", Activation.SOFTMAX) {
        @Override void lossAndDelta(Activation out, double[] z, double[] a, double[] y, int yOff,
                                    double[] delta, int k, int m, double[] sampleLoss) {
            System.arraycopy(a, 0, delta, 0, k * m);
            for (int j = 0; j < m; j++) delta[j * k + classOf(y[yOff + j], k)] -= 1.0;
            loss(z, a, y, yOff, k, m, sampleLoss);
        }
        @Override void loss(double[] z, double[] a, double[] y, int yOff, int k, int m, double[] sampleLoss) {
            for (int j = 0; j < m; j++) {
                int col = j * k;
                double max = Double.NEGATIVE_INFINITY;
                for (int r = 0; r < k; r++) max = Math.max(max, z[col + r]);
                double s = 0;
                for (int r = 0; r < k; r++) s += Math.exp(z[col + r] - max);
                sampleLoss[j] = max + Math.log(s) - z[col + classOf(y[yOff + j], k)];
            }
        }
        @Override public int labelWidth(int outputs) {
            return 1;
        }
    };

    private final String id;
    private final Activation requiredOutput;

    Loss(String id, Activation requiredOutput) {
        this.id = id;
        this.requiredOutput = requiredOutput;
    }

    /**
     * Writes each of the block's m per-sample losses into sampleLoss and dLoss_j/dZ (per sample, not
     * divided by m) into delta. z and a hold the output layer's (k × m) pre-activation and activation; the
     * labels start at y[yOff] with {@link #labelWidth} values per sample.
     */
    abstract void lossAndDelta(Activation out, double[] z, double[] a, double[] y, int yOff,
                               double[] delta, int k, int m, double[] sampleLoss);

    /** Each of the block's per-sample losses, without a gradient. */
    abstract void loss(double[] z, double[] a, double[] y, int yOff, int k, int m, double[] sampleLoss);

    /** Whether outputs name classes, so accuracy means something: cross-entropy, or bce with one output. */
    public boolean classifies(int outputs) {
        return this == CROSS_ENTROPY || (this == BCE && outputs == 1);
    }

    /**
     * hit[j] = 1 when sample j's predicted class is its label, else 0 (only where {@link #classifies}). The
     * prediction is the largest logit (the first on a tie) for cross-entropy, z > 0 (probability above one
     * half) for a single sigmoid output, whose label counts as class 1 from 0.5 up.
     */
    void hits(double[] z, double[] y, int yOff, int k, int m, double[] hit) {
        for (int j = 0; j < m; j++) {
            if (this == CROSS_ENTROPY) {
                int best = 0;
                for (int r = 1; r < k; r++) if (z[j * k + r] > z[j * k + best]) best = r;
                hit[j] = best == classOf(y[yOff + j], k) ? 1 : 0;
            } else {
                hit[j] = (z[j] > 0) == (y[yOff + j] >= 0.5) ? 1 : 0;
            }
        }
    }

    /** Label values stored per sample: k for mse/bce, one class index for cross-entropy. */
    public int labelWidth(int outputs) {
        return outputs;
    }

    /** The output activation this loss requires, or null when any activation works (mse). */
    public Activation requiredOutput() {
        return requiredOutput;
    }

    /** The output activation used when the user names none. */
    public Activation defaultOutput() {
        return requiredOutput == null ? Activation.LINEAR : requiredOutput;
    }

    public String id() {
        return id;
    }

    public static Loss fromId(String id) {
        String wanted = id.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (Loss l : values()) {
            if (l.id.equals(wanted)) return l;
        }
        throw new IllegalArgumentException("unknown loss '" + id + "'; valid losses: "
                + Arrays.stream(values()).map(Loss::id).collect(Collectors.joining(", ")));
    }

    static int classOf(double label, int k) {
        int c = (int) label;
        if (c != label || c < 0 || c >= k) {
            throw new IllegalArgumentException("class label " + label + " is not an integer in [0, " + (k - 1)
                    + "]: cross-entropy labels are class indices 0.." + (k - 1));
        }
        return c;
    }
}
