package io.sparkbackprop;

/**
 * The reference network, written out with plain loops and double[][] matrices the way the numpy original
 * is (W is n_out × n_in, Z = W·A + b, A = g(Z)), single-threaded and independent of the product's
 * BLAS kernel. Tests compare the product against it.
 */
public final class ReferenceNetwork {
    public final int[] sizes;
    public final String[] activations;
    public final String loss;
    public final double[][][] w;
    public final double[][] b;

    public ReferenceNetwork(int[] sizes, String[] activations, String loss) {
        this.sizes = sizes;
        this.activations = activations;
        this.loss = loss;
        w = new double[sizes.length - 1][][];
        b = new double[sizes.length - 1][];
        for (int l = 0; l < sizes.length - 1; l++) {
            w[l] = new double[sizes[l + 1]][sizes[l]];
            b[l] = new double[sizes[l + 1]];
        }
    }

    /** Reads weights from the product's flat layout: per layer W column-major, then b. */
    public void setFlat(double[] flat) {
        int p = 0;
        for (int l = 0; l < w.length; l++) {
            for (int c = 0; c < sizes[l]; c++) for (int r = 0; r < sizes[l + 1]; r++) w[l][r][c] = flat[p++];
            for (int r = 0; r < sizes[l + 1]; r++) b[l][r] = flat[p++];
        }
    }

    public double[] flat() {
        int n = 0;
        for (int l = 0; l < w.length; l++) n += sizes[l + 1] * (sizes[l] + 1);
        double[] flat = new double[n];
        int p = 0;
        for (int l = 0; l < w.length; l++) {
            for (int c = 0; c < sizes[l]; c++) for (int r = 0; r < sizes[l + 1]; r++) flat[p++] = w[l][r][c];
            for (int r = 0; r < sizes[l + 1]; r++) flat[p++] = b[l][r];
        }
        return flat;
    }

    static double g(String act, double z) {
        return switch (act) {
            case "relu" -> Math.max(0, z);
            case "sigmoid" -> 1 / (1 + Math.exp(-z));
            case "tanh" -> Math.tanh(z);
            case "linear" -> z;
            default -> throw new IllegalArgumentException(act);
        };
    }

    static double gPrime(String act, double z) {
        return switch (act) {
            case "relu" -> z > 0 ? 1 : 0;
            case "sigmoid" -> g("sigmoid", z) * (1 - g("sigmoid", z));
            case "tanh" -> 1 - Math.tanh(z) * Math.tanh(z);
            case "linear" -> 1;
            default -> throw new IllegalArgumentException(act);
        };
    }

    /** Forward pass of one sample: returns Z and A per layer (index 0 of A is the input). */
    double[][][] forward(double[] x) {
        int L = w.length;
        double[][] zs = new double[L][];
        double[][] as = new double[L + 1][];
        as[0] = x;
        for (int l = 0; l < L; l++) {
            int out = sizes[l + 1];
            zs[l] = new double[out];
            as[l + 1] = new double[out];
            for (int r = 0; r < out; r++) {
                double s = b[l][r];
                for (int c = 0; c < sizes[l]; c++) s += w[l][r][c] * as[l][c];
                zs[l][r] = s;
            }
            if (activations[l].equals("softmax")) {
                double max = Double.NEGATIVE_INFINITY;
                for (double v : zs[l]) max = Math.max(max, v);
                double sum = 0;
                for (int r = 0; r < out; r++) sum += Math.exp(zs[l][r] - max);
                for (int r = 0; r < out; r++) as[l + 1][r] = Math.exp(zs[l][r] - max) / sum;
            } else {
                for (int r = 0; r < out; r++) as[l + 1][r] = g(activations[l], zs[l][r]);
            }
        }
        return new double[][][] {zs, as};
    }

    /** The output layer's pre-activation Z of one sample. */
    public double[] logits(double[] x) {
        return forward(x)[0][w.length - 1];
    }

    public double[] predict(double[] x) {
        double[][][] f = forward(x);
        return f[1][w.length];
    }

    /** Per-sample loss for label y (k values, or one class index for cross-entropy). */
    public double sampleLoss(double[] x, double[] y) {
        double[] a = predict(x);
        int k = a.length;
        double s = 0;
        switch (loss) {
            case "mse" -> {
                for (int r = 0; r < k; r++) s += (a[r] - y[r]) * (a[r] - y[r]);
                return s / k;
            }
            case "bce" -> {
                for (int r = 0; r < k; r++) s += -y[r] * Math.log(a[r]) - (1 - y[r]) * Math.log(1 - a[r]);
                return s / k;
            }
            case "cross-entropy" -> {
                return -Math.log(a[(int) y[0]]);
            }
            default -> throw new IllegalArgumentException(loss);
        }
    }

    /** Mean loss over samples. */
    public double cost(double[][] xs, double[][] ys) {
        double s = 0;
        for (int i = 0; i < xs.length; i++) s += sampleLoss(xs[i], ys[i]);
        return s / xs.length;
    }

    /**
     * Gradient of the mean loss over the samples, as back-propagation in the reference does it, returned
     * in the flat layout: dZ = dA ⊙ g'(Z), dW = dZ·Aᵀ, db = Σ dZ, dA_in = Wᵀ·dZ.
     */
    public double[] gradient(double[][] xs, double[][] ys) {
        int L = w.length;
        double[][][] dw = new double[L][][];
        double[][] db = new double[L][];
        for (int l = 0; l < L; l++) {
            dw[l] = new double[sizes[l + 1]][sizes[l]];
            db[l] = new double[sizes[l + 1]];
        }
        int m = xs.length;
        for (int i = 0; i < m; i++) {
            double[][][] f = forward(xs[i]);
            double[][] zs = f[0];
            double[][] as = f[1];
            double[] a = as[L];
            int k = a.length;
            double[] dz = new double[k];
            for (int r = 0; r < k; r++) {
                switch (loss) {
                    case "mse" -> dz[r] = 2 * (a[r] - ys[i][r]) / (m * k) * gPrime(activations[L - 1], zs[L - 1][r]);
                    case "bce" -> dz[r] = (a[r] - ys[i][r]) / (m * k);
                    case "cross-entropy" -> dz[r] = (a[r] - (r == (int) ys[i][0] ? 1 : 0)) / m;
                    default -> throw new IllegalArgumentException(loss);
                }
            }
            for (int l = L - 1; l >= 0; l--) {
                for (int r = 0; r < sizes[l + 1]; r++) {
                    db[l][r] += dz[r];
                    for (int c = 0; c < sizes[l]; c++) dw[l][r][c] += dz[r] * as[l][c];
                }
                if (l > 0) {
                    double[] dzPrev = new double[sizes[l]];
                    for (int c = 0; c < sizes[l]; c++) {
                        double s = 0;
                        for (int r = 0; r < sizes[l + 1]; r++) s += w[l][r][c] * dz[r];
                        dzPrev[c] = s * gPrime(activations[l - 1], zs[l - 1][c]);
                    }
                    dz = dzPrev;
                }
            }
        }
        ReferenceNetwork g = new ReferenceNetwork(sizes, activations, loss);
        for (int l = 0; l < L; l++) {
            g.w[l] = dw[l];
            g.b[l] = db[l];
        }
        return g.flat();
    }

    /** One plain SGD step on the mean loss of the samples. */
    public void sgdStep(double[][] xs, double[][] ys, double lr) {
        double[] flat = flat();
        double[] grad = gradient(xs, ys);
        for (int i = 0; i < flat.length; i++) flat[i] -= lr * grad[i];
        setFlat(flat);
    }
}
