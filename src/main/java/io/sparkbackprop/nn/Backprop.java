package io.sparkbackprop.nn;

import dev.ludovic.netlib.blas.BLAS;

/**
 * Forward and backward passes over a block of samples stored as a column-major (n_in × m) matrix.
 * Every product is one BLAS call per layer and direction:
 * Z = W·A + b (dgemm), dW += dZ·Aᵀ (dgemm), db += dZ·1 (dgemv), dA_in = Wᵀ·dZ (dgemm).
 * Blocks wider than the workspace are processed in workspace-sized chunks.
 */
public final class Backprop {
    private static final BLAS BLAS_IMPL = BLAS.getInstance();

    private Backprop() {
    }

    /** The BLAS implementation in use (native OpenBLAS, the Vector API, or plain Java). */
    public static String blasName() {
        return BLAS_IMPL.getClass().getSimpleName();
    }

    /**
     * Adds the summed gradient of the per-sample losses of m samples into {@code grad} (flat layout of
     * the weights) and returns the summed loss. Features start at x[xOff] (n_in per sample), labels at
     * y[yOff] ({@link Topology#labelWidth()} per sample).
     */
    public static double accumulateGradient(double[] w, double[] x, int xOff, double[] y, int yOff, int m,
                                            double[] grad, Workspace ws) {
        return accumulateGradient(w, x, xOff, y, yOff, null, 0, m, grad, ws);
    }

    /**
     * As above with a weight per sample (rowWeights[rwOff...], or null for all ones): adds Σ w_j ∇loss_j
     * and returns Σ w_j loss_j.
     */
    public static double accumulateGradient(double[] w, double[] x, int xOff, double[] y, int yOff, double[] rowWeights,
                                            int rwOff, int m, double[] grad, Workspace ws) {
        return accumulateGradient(w, x, xOff, y, yOff, rowWeights, rwOff, m, grad, ws, null);
    }

    /**
     * As above with dropout on the hidden layers (null or rate 0: none); its row keys cover the m samples.
     * The returned loss is the loss of the thinned network the gradient belongs to.
     */
    public static double accumulateGradient(double[] w, double[] x, int xOff, double[] y, int yOff, double[] rowWeights,
                                            int rwOff, int m, double[] grad, Workspace ws, Dropout dropout) {
        Topology t = ws.topology;
        Dropout d = dropout == null || dropout.rate() == 0 || t.numLayers() < 2 ? null : dropout;
        double loss = 0;
        for (int start = 0; start < m; start += ws.capacity) {
            int cols = Math.min(ws.capacity, m - start);
            loss += chunkGradient(t, w, x, xOff + start * t.inputSize(), y, yOff + start * t.labelWidth(),
                    rowWeights, rwOff + start, cols, grad, ws, d, start);
        }
        return loss;
    }

    /** Summed loss of m samples, forward pass only. */
    public static double loss(double[] w, double[] x, int xOff, double[] y, int yOff, int m, Workspace ws) {
        return loss(w, x, xOff, y, yOff, null, 0, m, ws);
    }

    /** Σ w_j loss_j over m samples (rowWeights null for all ones), forward pass only. */
    public static double loss(double[] w, double[] x, int xOff, double[] y, int yOff, double[] rowWeights, int rwOff,
                              int m, Workspace ws) {
        return forwardSums(w, x, xOff, y, yOff, rowWeights, rwOff, m, ws, false)[0];
    }

    /**
     * {Σ w_j loss_j, Σ w_j hit_j} over m samples, forward only; hit_j is 1 when sample j is classified
     * correctly (always 0 when the loss does not {@linkplain Loss#classifies classify}).
     */
    public static double[] lossAndHits(double[] w, double[] x, int xOff, double[] y, int yOff, double[] rowWeights, int rwOff,
                                       int m, Workspace ws) {
        return forwardSums(w, x, xOff, y, yOff, rowWeights, rwOff, m, ws, true);
    }

    /** The forward pass both of the above run, chunk by chunk; hits are counted only when asked and the loss classifies. */
    private static double[] forwardSums(double[] w, double[] x, int xOff, double[] y, int yOff, double[] rowWeights, int rwOff,
                                        int m, Workspace ws, boolean countHits) {
        Topology t = ws.topology;
        int last = t.numLayers() - 1;
        int k = t.outputSize();
        boolean classes = countHits && t.loss().classifies(k);
        double loss = 0;
        double hits = 0;
        for (int start = 0; start < m; start += ws.capacity) {
            int cols = Math.min(ws.capacity, m - start);
            forward(t, w, x, xOff + start * t.inputSize(), cols, ws, null, 0);
            t.loss().loss(ws.z[last], ws.a[last], y, yOff + start * t.labelWidth(), k, cols, ws.sampleLoss);
            loss += weightedSum(ws.sampleLoss, rowWeights, rwOff + start, cols);
            if (classes) {
                t.loss().hits(ws.z[last], y, yOff + start * t.labelWidth(), k, cols, ws.sampleHit);
                hits += weightedSum(ws.sampleHit, rowWeights, rwOff + start, cols);
            }
        }
        return new double[] {loss, hits};
    }

    static double weightedSum(double[] sampleLoss, double[] rowWeights, int rwOff, int m) {
        double sum = 0;
        if (rowWeights == null) {
            for (int j = 0; j < m; j++) sum += sampleLoss[j];
        } else {
            for (int j = 0; j < m; j++) sum += rowWeights[rwOff + j] * sampleLoss[j];
        }
        return sum;
    }

    /** Writes the network's outputs (k × m, column-major) for m samples into out[outOff...]. */
    public static void predict(double[] w, double[] x, int xOff, int m, double[] out, int outOff, Workspace ws) {
        output(w, x, xOff, m, out, outOff, ws, false);
    }

    /** Writes the output layer's pre-activation Z (logits for sigmoid and softmax outputs) for m samples. */
    public static void logits(double[] w, double[] x, int xOff, int m, double[] out, int outOff, Workspace ws) {
        output(w, x, xOff, m, out, outOff, ws, true);
    }

    private static void output(double[] w, double[] x, int xOff, int m, double[] out, int outOff, Workspace ws, boolean z) {
        Topology t = ws.topology;
        int last = t.numLayers() - 1;
        int k = t.outputSize();
        for (int start = 0; start < m; start += ws.capacity) {
            int cols = Math.min(ws.capacity, m - start);
            forward(t, w, x, xOff + start * t.inputSize(), cols, ws, null, 0);
            System.arraycopy(z ? ws.z[last] : ws.a[last], 0, out, outOff + start * k, cols * k);
        }
    }

    private static double chunkGradient(Topology t, double[] w, double[] x, int xOff, double[] y, int yOff,
                                        double[] rowWeights, int rwOff, int m, double[] grad, Workspace ws,
                                        Dropout dropout, int keyStart) {
        forward(t, w, x, xOff, m, ws, dropout, keyStart);
        int last = t.numLayers() - 1;
        double loss = outputDelta(t, y, yOff, rowWeights, rwOff, m, ws);
        for (int l = last; l >= 0; l--) {
            int out = t.outputsOf(l);
            int in = t.inputsOf(l);
            double[] input = l == 0 ? x : layerOutput(ws, l - 1, dropout);
            int inputOff = l == 0 ? xOff : 0;
            double[] delta = ws.delta[l];
            // dW += delta · inputᵀ   (out × m)(m × in)
            BLAS_IMPL.dgemm("N", "T", out, in, m, 1.0, delta, 0, out, input, inputOff, in, 1.0, grad, t.weightOffset(l), out);
            // db += delta · 1
            BLAS_IMPL.dgemv("N", out, m, 1.0, delta, 0, out, ws.ones, 0, 1, 1.0, grad, t.biasOffset(l), 1);
            if (l > 0) {
                double[] prev = ws.delta[l - 1];
                // delta_{l-1} = Wᵀ · delta, then ⊙ g'(Z_{l-1})
                BLAS_IMPL.dgemm("T", "N", in, m, out, 1.0, w, t.weightOffset(l), out, delta, 0, out, 0.0, prev, 0, in);
                throughHiddenLayer(t, ws, dropout, l - 1, in * m);
            }
        }
        return loss;
    }

    /**
     * The output layer's per-sample losses and dLoss/dZ (into ws.delta[last]), each sample's column scaled by its
     * row weight; returns Σ w_j loss_j. Shared with {@link FloatBackprop}, which keeps this part in double.
     */
    static double outputDelta(Topology t, double[] y, int yOff, double[] rowWeights, int rwOff, int m, Workspace ws) {
        int last = t.numLayers() - 1;
        int k = t.outputSize();
        t.loss().lossAndDelta(t.activation(last), ws.z[last], ws.a[last], y, yOff, ws.delta[last], k, m, ws.sampleLoss);
        double loss = weightedSum(ws.sampleLoss, rowWeights, rwOff, m);
        if (rowWeights != null) {
            // A sample's weight scales its whole gradient, i.e. its column of the output delta.
            double[] d = ws.delta[last];
            for (int j = 0; j < m; j++) {
                double rw = rowWeights[rwOff + j];
                for (int r = j * k; r < (j + 1) * k; r++) d[r] *= rw;
            }
        }
        return loss;
    }

    /** ws.delta[l] (dLoss/dA of hidden layer l, len values) becomes dLoss/dZ: through the dropout mask and g'. */
    static void throughHiddenLayer(Topology t, Workspace ws, Dropout dropout, int l, int len) {
        double[] prev = ws.delta[l];
        if (dropout != null) {
            // Through the mask: a dropped unit passes no gradient, a kept one is scaled like its output.
            double[] keep = ws.keep[l];
            for (int i = 0; i < len; i++) prev[i] *= keep[i];
        }
        t.activation(l).multiplyDerivative(ws.z[l], ws.a[l], prev, len);
    }

    /** Hidden layer l's dropout mask for the chunk's m rows (keys from keyStart) and its thinned activations. */
    static void thin(Workspace ws, Dropout dropout, int l, int out, int keyStart, int m) {
        // a stays g(Z) for the derivative; the thinned copy feeds the next layer.
        ws.ensureDropoutBuffers();
        double[] keep = ws.keep[l];
        dropout.fillMask(keep, l, out, keyStart, m);
        double[] a = ws.a[l];
        double[] dropped = ws.dropped[l];
        for (int i = 0; i < out * m; i++) dropped[i] = a[i] * keep[i];
    }

    /** What layer l hands the next one: its activations, thinned by the dropout mask while training. */
    static double[] layerOutput(Workspace ws, int l, Dropout dropout) {
        return dropout == null ? ws.a[l] : ws.dropped[l];
    }

    private static void forward(Topology t, double[] w, double[] x, int xOff, int m, Workspace ws, Dropout dropout, int keyStart) {
        for (int l = 0; l < t.numLayers(); l++) {
            int out = t.outputsOf(l);
            int in = t.inputsOf(l);
            double[] z = ws.z[l];
            int b = t.biasOffset(l);
            for (int j = 0; j < m; j++) System.arraycopy(w, b, z, j * out, out);
            double[] input = l == 0 ? x : layerOutput(ws, l - 1, dropout);
            int inputOff = l == 0 ? xOff : 0;
            // Z = W · input + b   (out × in)(in × m)
            BLAS_IMPL.dgemm("N", "N", out, m, in, 1.0, w, t.weightOffset(l), out, input, inputOff, in, 1.0, z, 0, out);
            t.activation(l).apply(z, ws.a[l], out * m, out);
            if (dropout != null && l < t.numLayers() - 1) thin(ws, dropout, l, out, keyStart, m);
        }
    }
}
