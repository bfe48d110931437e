package io.sparkbackprop.nn;

import dev.ludovic.netlib.blas.BLAS;

/**
 * {@link Backprop#accumulateGradient}'s pass with its three products per layer in single precision (sgemm:
 * about twice dgemm's rate, half its memory traffic) and everything else in double, so that
 * {@link Activation}, {@link Loss} and {@link Dropout} serve both modes unchanged:
 * <ul>
 *   <li>the weights are converted to float once, when the kernel is made (once per task and step), the
 *       biases are added in double;</li>
 *   <li>each chunk's features are converted once and feed both layer 0's forward product and its dW;</li>
 *   <li>forward: Z = float(W·input) + b widened to double, A = g(Z) in double (dropout's mask too), then A to
 *       float as the next layer's input;</li>
 *   <li>backward: the double delta (loss gradient, row weights, g', mask) goes to float for dW = delta·inputᵀ
 *       (beta 0, into a per-chunk float buffer that is then added into the double gradient, so the sums
 *       over chunks and partitions are double) and Wᵀ·delta (widened back to double); db is summed in
 *       double.</li>
 * </ul>
 * The losses are computed in double from the widened Z, so a float step's loss is within float rounding of
 * the double step's. Not thread-safe: one kernel per task thread (its buffers are the thread's).
 */
public final class FloatBackprop implements GradientKernel {
    private static final BLAS BLAS_IMPL = BLAS.getInstance();

    private final Topology t;
    private final double[] w;
    private final float[] wf;
    private final Workspace ws;
    private final FloatWorkspace fs;

    /** Converts the weights once; ws is the thread's double workspace, whose capacity is the chunk size. */
    public FloatBackprop(double[] w, Workspace ws) {
        this.t = ws.topology;
        if (w.length != t.numParams()) {
            throw new IllegalArgumentException("expected " + t.numParams() + " weights for " + t + ", got " + w.length);
        }
        this.w = w;
        this.ws = ws;
        this.fs = FloatWorkspace.forThread(t, ws.capacity);
        // Per kernel, not per thread: a reused thread-local copy could go stale between steps unnoticed.
        this.wf = new float[w.length];
        toFloat(w, 0, wf, 0, w.length);
    }

    @Override
    public double accumulateGradient(double[] x, int xOff, double[] y, int yOff, double[] rowWeights, int rwOff, int m,
                                     double[] grad, Dropout dropout) {
        Dropout d = dropout == null || dropout.rate() == 0 || t.numLayers() < 2 ? null : dropout;
        double loss = 0;
        for (int start = 0; start < m; start += ws.capacity) {
            int cols = Math.min(ws.capacity, m - start);
            loss += chunkGradient(x, xOff + start * t.inputSize(), y, yOff + start * t.labelWidth(), rowWeights, rwOff + start,
                    cols, grad, d, start);
        }
        return loss;
    }

    private double chunkGradient(double[] x, int xOff, double[] y, int yOff, double[] rowWeights, int rwOff, int m,
                                 double[] grad, Dropout dropout, int keyStart) {
        toFloat(x, xOff, fs.x, 0, t.inputSize() * m);
        forward(m, dropout, keyStart);
        double loss = Backprop.outputDelta(t, y, yOff, rowWeights, rwOff, m, ws);
        for (int l = t.numLayers() - 1; l >= 0; l--) {
            int out = t.outputsOf(l);
            int in = t.inputsOf(l);
            float[] input = l == 0 ? fs.x : fs.a[l - 1];
            double[] delta = ws.delta[l];
            toFloat(delta, 0, fs.delta, 0, out * m);
            // dW of this chunk = delta · inputᵀ   (out × m)(m × in), then added in double.
            BLAS_IMPL.sgemm("N", "T", out, in, m, 1f, fs.delta, 0, out, input, 0, in, 0f, fs.dW, 0, out);
            addInto(fs.dW, grad, t.weightOffset(l), out * in);
            // db += delta · 1, in double exactly as Backprop does.
            BLAS_IMPL.dgemv("N", out, m, 1.0, delta, 0, out, ws.ones, 0, 1, 1.0, grad, t.biasOffset(l), 1);
            if (l > 0) {
                // delta_{l-1} = Wᵀ · delta, widened, then ⊙ mask ⊙ g'(Z_{l-1}) in double.
                BLAS_IMPL.sgemm("T", "N", in, m, out, 1f, wf, t.weightOffset(l), out, fs.delta, 0, out, 0f, fs.dA, 0, in);
                toDouble(fs.dA, 0, ws.delta[l - 1], 0, in * m);
                Backprop.throughHiddenLayer(t, ws, dropout, l - 1, in * m);
            }
        }
        return loss;
    }

    private void forward(int m, Dropout dropout, int keyStart) {
        int last = t.numLayers() - 1;
        for (int l = 0; l <= last; l++) {
            int out = t.outputsOf(l);
            int in = t.inputsOf(l);
            float[] input = l == 0 ? fs.x : fs.a[l - 1];
            // W · input   (out × in)(in × m), beta 0: the bias is added below, in double.
            BLAS_IMPL.sgemm("N", "N", out, m, in, 1f, wf, t.weightOffset(l), out, input, 0, in, 0f, fs.z, 0, out);
            double[] z = ws.z[l];
            float[] zf = fs.z;
            int b = t.biasOffset(l);
            for (int j = 0; j < m; j++) {
                int col = j * out;
                for (int i = 0; i < out; i++) z[col + i] = zf[col + i] + w[b + i];
            }
            t.activation(l).apply(z, ws.a[l], out * m, out);
            if (l < last) {
                if (dropout != null) Backprop.thin(ws, dropout, l, out, keyStart, m);
                toFloat(Backprop.layerOutput(ws, l, dropout), 0, fs.a[l], 0, out * m);
            }
        }
    }

    private static void toFloat(double[] from, int fromOff, float[] to, int toOff, int len) {
        for (int i = 0; i < len; i++) to[toOff + i] = (float) from[fromOff + i];
    }

    private static void toDouble(float[] from, int fromOff, double[] to, int toOff, int len) {
        for (int i = 0; i < len; i++) to[toOff + i] = from[fromOff + i];
    }

    private static void addInto(float[] from, double[] to, int toOff, int len) {
        for (int i = 0; i < len; i++) to[toOff + i] += from[i];
    }
}
