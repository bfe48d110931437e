package io.sparkbackprop.nn;

/**
 * How the layers run a chunk of m rows: forward Z = W·A + b, A = g(Z) and, on hidden layers, dropout's thinning;
 * backward dW += δ·Aᵀ, db += δ·1 and, below the first layer, δ_below = Wᵀ·δ through the lower layer's mask and g'.
 * {@link #DOUBLE} does all of it in double with dgemm. {@link Single} keeps the hidden layers in float end to end
 * (sgemm, float activations in vector lanes, float deltas), and only the output layer's Z, A and loss in double, so
 * losses and their deltas read the same in both. One arithmetic serves a whole pass; {@link Backprop} runs the layers
 * and the loss and does not fork on which.
 * <p>
 * The output layer's Z, A and δ are always {@code ws.z[last]}, {@code ws.a[last]} and {@code ws.delta[last]} (double);
 * the loss reads the first two and writes the third.
 */
abstract class LayerArithmetic {
    /** dgemm for the products and double for everything between them. */
    static final LayerArithmetic DOUBLE = new LayerArithmetic() {
        @Override
        LayerInput forward(Topology t, int l, double[] w, LayerInput input, Dropout dropout, int keyStart, Workspace ws) {
            DenseLayer layer = t.layer(l);
            int out = layer.outputs();
            int m = input.rows();
            double[] z = ws.z[l];
            for (int j = 0; j < m; j++) System.arraycopy(w, layer.biasOffset(), z, j * out, out);
            input.multiplyAdd(w, layer.weightOffset(), out, z);
            layer.activation().apply(z, ws.a[l], out * m, out);
            if (l == t.numLayers() - 1) return null;
            if (dropout == null) return ws.outputs[l].of(ws.a[l], 0, m);
            // a stays g(Z) for the derivative; the thinned copy feeds the next layer.
            ws.ensureDropoutBuffers();
            double[] keep = ws.keep[l];
            dropout.fillMask(keep, l, out, keyStart, m);
            double[] a = ws.a[l];
            double[] dropped = ws.dropped[l];
            for (int i = 0; i < out * m; i++) dropped[i] = a[i] * keep[i];
            return ws.outputs[l].of(dropped, 0, m);
        }

        @Override
        void backward(Topology t, int l, double[] w, LayerInput input, double[] grad, Dropout dropout, Workspace ws) {
            DenseLayer layer = t.layer(l);
            int out = layer.outputs();
            int m = input.rows();
            double[] delta = ws.delta[l];
            input.addOuterProduct(delta, out, grad, layer.weightOffset());
            Blas.BLAS.dgemv("N", out, m, 1.0, delta, 0, out, ws.ones, 0, 1, 1.0, grad, layer.biasOffset(), 1);
            if (l == 0) return;
            int in = layer.inputs();
            double[] below = ws.delta[l - 1];
            Blas.BLAS.dgemm("T", "N", in, m, out, 1.0, w, layer.weightOffset(), out, delta, 0, out, 0.0, below, 0, in);
            // dLoss/dA of layer l−1 becomes its dLoss/dZ: through the mask (a dropped unit passes no gradient, a kept one
            // is scaled like its output), then g'.
            if (dropout != null) {
                double[] keep = ws.keep[l - 1];
                for (int i = 0; i < in * m; i++) below[i] *= keep[i];
            }
            t.activation(l - 1).multiplyDerivative(ws.z[l - 1], ws.a[l - 1], below, in * m);
        }
    };

    /**
     * Layer l forward over {@code input} (m rows): its Z and A and, on a hidden layer with dropout (keys from
     * keyStart), its mask. Returns what layer l+1 reads, null for the output layer.
     */
    abstract LayerInput forward(Topology t, int l, double[] w, LayerInput input, Dropout dropout, int keyStart, Workspace ws);

    /**
     * Layer l backward from its dLoss/dZ (the output layer's in ws.delta[last], a hidden layer's where this
     * arithmetic's backward of the layer above left it): adds dW and db into grad and, for l > 0, leaves layer l−1's
     * dLoss/dZ for its own backward.
     */
    abstract void backward(Topology t, int l, double[] w, LayerInput input, double[] grad, Dropout dropout, Workspace ws);

    /**
     * Adds what this arithmetic has summed aside since the last call into grad (the weights' layout); nothing for
     * {@link #DOUBLE}, which adds into grad directly.
     */
    void addPendingInto(double[] grad, Workspace ws) {
    }

    /** Drops what a pass that failed half-way left summed aside on this thread, so the next pass starts clean. */
    void discardPending(Workspace ws) {
    }

    /**
     * sgemm for the products (about twice dgemm's rate, half its memory traffic), with the weights converted to float
     * once, when it is made (once per task and step: a reused thread-local copy could go stale between steps
     * unnoticed). Hidden layers stay in float: Z, A, the dropout-thinned A and δ, g and g' in vector lanes; the output
     * layer's Z is widened to double for the bias, the output activation and the loss, and its δ narrowed to float for
     * its two products. dW is summed in float over the chunks of one {@link Backprop#accumulateGradient} call (a cached
     * block's rows, 4,096 by default) and then added into the double gradient; db goes into it chunk by chunk. Sums
     * over blocks and partitions are double.
     */
    static final class Single extends LayerArithmetic {
        private final float[] weights;

        Single(double[] w) {
            this.weights = new float[w.length];
            Blas.toFloat(w, 0, weights, 0, w.length);
        }

        @Override
        LayerInput forward(Topology t, int l, double[] w, LayerInput input, Dropout dropout, int keyStart, Workspace ws) {
            DenseLayer layer = t.layer(l);
            int out = layer.outputs();
            int m = input.rows();
            int b = layer.biasOffset();
            Workspace.Single s = ws.single();
            float[] zf = s.z[l];
            input.multiply(weights, layer.weightOffset(), out, zf);
            if (l == t.numLayers() - 1) {
                double[] z = ws.z[l];
                for (int j = 0; j < m; j++) {
                    int col = j * out;
                    for (int i = 0; i < out; i++) z[col + i] = zf[col + i] + w[b + i];
                }
                layer.activation().apply(z, ws.a[l], out * m, out);
                return null;
            }
            for (int j = 0; j < m; j++) {
                int col = j * out;
                for (int i = 0; i < out; i++) zf[col + i] += weights[b + i];
            }
            float[] a = s.a[l];
            layer.activation().apply(zf, a, out * m);
            if (dropout == null) return s.outputs[l].of(a, m);
            ws.ensureDropoutBuffers();
            double[] keep = ws.keep[l];
            dropout.fillMask(keep, l, out, keyStart, m);
            float[] dropped = s.dropped(l);
            for (int i = 0; i < out * m; i++) dropped[i] = a[i] * (float) keep[i];
            return s.outputs[l].of(dropped, m);
        }

        @Override
        void backward(Topology t, int l, double[] w, LayerInput input, double[] grad, Dropout dropout, Workspace ws) {
            DenseLayer layer = t.layer(l);
            int out = layer.outputs();
            int m = input.rows();
            Workspace.Single s = ws.single();
            float[] delta = s.delta[l];
            if (l == t.numLayers() - 1) Blas.toFloat(ws.delta[l], 0, delta, 0, out * m);
            s.pending = true;
            input.addOuterProduct(delta, out, s.weightSums, layer.weightOffset());
            int b = layer.biasOffset();
            for (int j = 0; j < m; j++) {
                int col = j * out;
                for (int i = 0; i < out; i++) grad[b + i] += delta[col + i];
            }
            if (l == 0) return;
            int in = layer.inputs();
            float[] below = s.delta[l - 1];
            Blas.BLAS.sgemm("T", "N", in, m, out, 1f, weights, layer.weightOffset(), out, delta, 0, out, 0f, below, 0, in);
            if (dropout != null) {
                double[] keep = ws.keep[l - 1];
                for (int i = 0; i < in * m; i++) below[i] *= (float) keep[i];
            }
            t.activation(l - 1).multiplyDerivative(s.z[l - 1], s.a[l - 1], below, in * m);
        }

        @Override
        void addPendingInto(double[] grad, Workspace ws) {
            ws.single().addPendingInto(grad);
        }

        @Override
        void discardPending(Workspace ws) {
            ws.single().discardPending();
        }
    }
}
