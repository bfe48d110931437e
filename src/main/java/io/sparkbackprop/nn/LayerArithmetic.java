package io.sparkbackprop.nn;

/**
 * How a dense layer runs its products over a chunk of m rows: Z = W·A + b forward; dW += δ·Aᵀ, db += δ·1 and
 * δ_below = Wᵀ·δ backward. {@link #DOUBLE} runs them as dgemm; {@link Single} as sgemm with the bias, the
 * sums and everything between the products in double, so {@link Activation}, {@link Loss} and {@link Dropout}
 * serve both. Chosen per layer by {@link Backprop}; the layers' code does not fork on it.
 */
abstract class LayerArithmetic {
    /** dgemm for all three products. */
    static final LayerArithmetic DOUBLE = new LayerArithmetic() {
        @Override
        void forward(DenseLayer layer, double[] w, LayerInput input, double[] z, Workspace ws) {
            int out = layer.outputs();
            int b = layer.biasOffset();
            for (int j = 0; j < input.rows(); j++) System.arraycopy(w, b, z, j * out, out);
            input.multiplyAdd(w, layer.weightOffset(), out, z);
        }

        @Override
        void backward(DenseLayer layer, double[] w, LayerInput input, double[] delta, double[] grad, double[] below,
                      Workspace ws) {
            int out = layer.outputs();
            int m = input.rows();
            input.addOuterProduct(delta, out, grad, layer.weightOffset());
            addBiasGradient(layer, delta, m, grad, ws);
            if (below != null) {
                Blas.BLAS.dgemm("T", "N", layer.inputs(), m, out, 1.0, w, layer.weightOffset(), out, delta, 0, out, 0.0, below, 0,
                        layer.inputs());
            }
        }
    };

    /** z (out × m) = W·input + b. */
    abstract void forward(DenseLayer layer, double[] w, LayerInput input, double[] z, Workspace ws);

    /**
     * Adds the layer's dW and db for δ (out × m, dLoss/dZ) into grad and, when {@code below} is not null, writes
     * Wᵀ·δ there: dLoss/dA of the layer below, before its own g'.
     */
    abstract void backward(DenseLayer layer, double[] w, LayerInput input, double[] delta, double[] grad, double[] below,
                           Workspace ws);

    /**
     * Adds what this arithmetic has summed aside since the last call into grad (the weights' layout); nothing for
     * {@link #DOUBLE}, which adds into grad directly.
     */
    void addPendingInto(Topology t, double[] grad, Workspace ws) {
    }

    /** db += δ·1, in double in either arithmetic. */
    static void addBiasGradient(DenseLayer layer, double[] delta, int m, double[] grad, Workspace ws) {
        int out = layer.outputs();
        Blas.BLAS.dgemv("N", out, m, 1.0, delta, 0, out, ws.ones, 0, 1, 1.0, grad, layer.biasOffset(), 1);
    }

    /**
     * sgemm for the three products (about twice dgemm's rate, half its memory traffic), with the weights
     * converted to float once, when it is made (once per task and step: a reused thread-local copy could go
     * stale between steps unnoticed). Z is widened to double before the bias is added; δ goes to float for
     * its two products and Wᵀ·δ comes back to double. dW is summed in float over the chunks of one
     * {@link Backprop#accumulateGradient} call (a cached block's rows, 4,096 by default), then added into the double
     * gradient: adding each chunk's dW into double cost as much as a tenth of the chunk's time; sums over blocks and
     * partitions stay double.
     */
    static final class Single extends LayerArithmetic {
        private final float[] weights;

        Single(double[] w) {
            this.weights = new float[w.length];
            Blas.toFloat(w, 0, weights, 0, w.length);
        }

        @Override
        void forward(DenseLayer layer, double[] w, LayerInput input, double[] z, Workspace ws) {
            int out = layer.outputs();
            int b = layer.biasOffset();
            float[] zf = ws.single().z;
            input.multiply(weights, layer.weightOffset(), out, zf);
            for (int j = 0; j < input.rows(); j++) {
                int col = j * out;
                for (int i = 0; i < out; i++) z[col + i] = zf[col + i] + w[b + i];
            }
        }

        @Override
        void addPendingInto(Topology t, double[] grad, Workspace ws) {
            ws.single().addPendingInto(t, grad);
        }

        @Override
        void backward(DenseLayer layer, double[] w, LayerInput input, double[] delta, double[] grad, double[] below,
                      Workspace ws) {
            int out = layer.outputs();
            int in = layer.inputs();
            int m = input.rows();
            Workspace.Single s = ws.single();
            Blas.toFloat(delta, 0, s.delta, 0, out * m);
            s.pending = true;
            input.addOuterProduct(s.delta, out, s.weightSums, layer.weightOffset());
            addBiasGradient(layer, delta, m, grad, ws);
            if (below != null) {
                Blas.BLAS.sgemm("T", "N", in, m, out, 1f, weights, layer.weightOffset(), out, s.delta, 0, out, 0f, s.below, 0, in);
                Blas.toDouble(s.below, 0, below, 0, in * m);
            }
        }
    }
}
