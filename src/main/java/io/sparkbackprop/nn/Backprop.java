package io.sparkbackprop.nn;

/**
 * The network's forward and backward passes over rows stored column-major (n_in × m), layer by layer:
 * each {@link DenseLayer} reads a {@link LayerInput} (the first a block's features, every other the layer
 * below's output) and runs its step (products, bias, activation, dropout's mask) in the pass's
 * {@link LayerArithmetic}; on top sits the loss. Rows beyond the workspace's capacity are processed in chunks
 * of that many, each chunk one gemm per layer and direction.
 * <p>
 * Bound to one weight vector and one thread's {@link Workspace} (one task's step): the gradient pass runs in
 * the given {@link Precision}'s {@link LayerArithmetic}; the forward-only passes (loss, accuracy, prediction) always
 * run in double, so evaluation figures are comparable between the modes.
 */
public final class Backprop {
    private final Topology t;
    private final double[] w;
    private final Workspace ws;
    private final Precision precision;
    /** The gradient pass's arithmetic, for all its layers. */
    private final LayerArithmetic training;
    /** What each layer read in the current chunk's forward pass, for its backward pass. */
    private final LayerInput[] inputs;

    /** Double precision throughout. */
    public Backprop(double[] w, Workspace ws) {
        this(w, ws, Precision.DOUBLE);
    }

    /** The gradient pass in {@code precision}; a float pass converts the weights once, here. */
    public Backprop(double[] w, Workspace ws, Precision precision) {
        this.t = ws.topology;
        if (w.length != t.numParams()) {
            throw new IllegalArgumentException("expected " + t.numParams() + " weights for " + t + ", got " + w.length);
        }
        this.w = w;
        this.ws = ws;
        this.precision = precision;
        this.training = precision.arithmetic(w);
        this.inputs = new LayerInput[t.numLayers()];
    }

    /** The kernel a task runs for one step: the calling thread's buffers, chunks of {@code chunk} rows. */
    public static Backprop forThread(Topology t, double[] w, Precision precision, int chunk) {
        return new Backprop(w, Workspace.forThread(t, chunk), precision);
    }

    /**
     * From now on on this thread, the first layer's weight gradient over sparse rows is kept as its factors in
     * {@code sink} (each row's nonzeros and δ) instead of summed into the gradient; null sums it again. Dense rows are
     * summed as always. The biases' and the layers' above gradients are summed either way.
     */
    public void deferSparseFirstLayer(DeferredOuterProducts sink) {
        ws.sparseInput().deferInto(sink);
    }

    public Precision precision() {
        return precision;
    }

    /** Adds the summed gradient of m rows' losses into {@code grad} (the weights' flat layout) and returns the summed loss. */
    public double accumulateGradient(double[] x, int xOff, double[] y, int yOff, int m, double[] grad) {
        return accumulateGradient(dense(x, xOff, m), y, yOff, null, 0, grad, null);
    }

    /** Adds Σ w_j ∇loss_j of m dense rows from x[xOff…] into {@code grad}; see the {@link Features} form. */
    public double accumulateGradient(double[] x, int xOff, double[] y, int yOff, double[] rowWeights, int rwOff, int m,
                                     double[] grad, Dropout dropout) {
        return accumulateGradient(dense(x, xOff, m), y, yOff, rowWeights, rwOff, grad, dropout);
    }

    /**
     * Adds Σ w_j ∇loss_j of x's rows into {@code grad} and returns Σ w_j loss_j. Labels start at y[yOff]
     * ({@link Topology#labelWidth()} per row), row weights at rowWeights[rwOff] (null: all ones). With dropout (null or
     * rate 0: none) on the hidden layers, its row keys cover the rows, and the loss is that of the thinned network the
     * gradient belongs to. Features of any kind: dense double, float (read in place by a float pass) or sparse rows.
     */
    public double accumulateGradient(Features x, double[] y, int yOff, double[] rowWeights, int rwOff, double[] grad,
                                     Dropout dropout) {
        Dropout d = dropout == null || dropout.rate() == 0 || t.numLayers() < 2 ? null : dropout;
        training.discardPending(ws);
        double loss = 0;
        int m = x.rows();
        for (int start = 0; start < m; start += ws.capacity) {
            int cols = Math.min(ws.capacity, m - start);
            loss += chunkGradient(x.chunk(ws, start, cols), y, yOff + start * t.labelWidth(), rowWeights, rwOff + start, grad, d, start);
        }
        // What the arithmetic summed aside over the chunks goes into grad once.
        training.addPendingInto(grad, ws);
        return loss;
    }

    /** Double features from x[xOff…], m rows. */
    private Features dense(double[] x, int xOff, int m) {
        return Features.dense(x, xOff, t.inputSize(), m);
    }

    /**
     * One chunk (at most the workspace's capacity of rows) forward and backward: what
     * {@link #accumulateGradient} does per chunk, for an input of any kind. {@code keyStart} is the chunk's first
     * row among dropout's row keys. An arithmetic may hold part of the gradient aside until
     * {@link LayerArithmetic#addPendingInto}, which the caller runs after its last chunk.
     */
    private double chunkGradient(LayerInput input, double[] y, int yOff, double[] rowWeights, int rwOff, double[] grad,
                                 Dropout dropout, int keyStart) {
        forward(input, training, dropout, keyStart);
        double loss = outputDelta(y, yOff, rowWeights, rwOff, input.rows());
        for (int l = t.numLayers() - 1; l >= 0; l--) training.backward(t, l, w, inputs[l], grad, dropout, ws);
        return loss;
    }

    /** Summed loss of m rows, forward only. */
    public double loss(double[] x, int xOff, double[] y, int yOff, int m) {
        return loss(x, xOff, y, yOff, null, 0, m);
    }

    /** Σ w_j loss_j over m rows (rowWeights null for all ones), forward only. */
    public double loss(double[] x, int xOff, double[] y, int yOff, double[] rowWeights, int rwOff, int m) {
        return forwardSums(dense(x, xOff, m), y, yOff, rowWeights, rwOff, false)[0];
    }

    /**
     * {Σ w_j loss_j, Σ w_j hit_j} over m rows, forward only; hit_j is 1 when row j is classified correctly (always
     * 0 when the loss does not {@linkplain Loss#classifies classify}).
     */
    public double[] lossAndHits(double[] x, int xOff, double[] y, int yOff, double[] rowWeights, int rwOff, int m) {
        return lossAndHits(dense(x, xOff, m), y, yOff, rowWeights, rwOff);
    }

    /** The same over features of any kind: the forward pass runs in double (float values widened exactly). */
    public double[] lossAndHits(Features x, double[] y, int yOff, double[] rowWeights, int rwOff) {
        return forwardSums(x, y, yOff, rowWeights, rwOff, true);
    }

    private double[] forwardSums(Features x, double[] y, int yOff, double[] rowWeights, int rwOff, boolean countHits) {
        int m = x.rows();
        int last = t.numLayers() - 1;
        int k = t.outputSize();
        boolean classes = countHits && t.loss().classifies(k);
        double loss = 0;
        double hits = 0;
        for (int start = 0; start < m; start += ws.capacity) {
            int cols = Math.min(ws.capacity, m - start);
            forward(x.chunk(ws, start, cols), LayerArithmetic.DOUBLE, null, 0);
            t.loss().loss(ws.z[last], ws.a[last], y, yOff + start * t.labelWidth(), k, cols, ws.sampleLoss);
            loss += weightedSum(ws.sampleLoss, rowWeights, rwOff + start, cols);
            if (classes) {
                t.loss().hits(ws.z[last], y, yOff + start * t.labelWidth(), k, cols, ws.sampleHit);
                hits += weightedSum(ws.sampleHit, rowWeights, rwOff + start, cols);
            }
        }
        return new double[] {loss, hits};
    }

    private static double weightedSum(double[] values, double[] rowWeights, int rwOff, int m) {
        double sum = 0;
        if (rowWeights == null) {
            for (int j = 0; j < m; j++) sum += values[j];
        } else {
            for (int j = 0; j < m; j++) sum += rowWeights[rwOff + j] * values[j];
        }
        return sum;
    }

    /** Writes the network's outputs (k × m, column-major) for m rows into out[outOff...]. */
    public void predict(double[] x, int xOff, int m, double[] out, int outOff) {
        outputs(x, xOff, m, null, out, outOff);
    }

    /** Writes the output layer's pre-activation Z (logits for sigmoid and softmax outputs) for m rows. */
    public void logits(double[] x, int xOff, int m, double[] out, int outOff) {
        outputs(x, xOff, m, out, null, outOff);
    }

    /**
     * One forward pass over m rows giving both the output layer's Z (into z[outOff…], k × m) and its outputs A (into
     * a[outOff…]); either may be null when not wanted.
     */
    public void outputs(double[] x, int xOff, int m, double[] z, double[] a, int outOff) {
        outputs(dense(x, xOff, m), z, a, outOff);
    }

    /** The same over features of any kind (sparse rows are read as they are, never made dense). */
    public void outputs(Features x, double[] z, double[] a, int outOff) {
        int last = t.numLayers() - 1;
        int k = t.outputSize();
        int m = x.rows();
        for (int start = 0; start < m; start += ws.capacity) {
            int cols = Math.min(ws.capacity, m - start);
            forward(x.chunk(ws, start, cols), LayerArithmetic.DOUBLE, null, 0);
            if (z != null) System.arraycopy(ws.z[last], 0, z, outOff + start * k, cols * k);
            if (a != null) System.arraycopy(ws.a[last], 0, a, outOff + start * k, cols * k);
        }
    }

    /** Layers bottom up in {@code arithmetic}: each reads what the one below returned. */
    private void forward(LayerInput input, LayerArithmetic arithmetic, Dropout dropout, int keyStart) {
        LayerInput in = input;
        for (int l = 0; l < t.numLayers(); l++) {
            inputs[l] = in;
            in = arithmetic.forward(t, l, w, in, dropout, keyStart, ws);
        }
    }

    /**
     * The output layer's per-row losses and dLoss/dZ (into ws.delta[last]), each row's column scaled by its row
     * weight; returns Σ w_j loss_j.
     */
    private double outputDelta(double[] y, int yOff, double[] rowWeights, int rwOff, int m) {
        int last = t.numLayers() - 1;
        int k = t.outputSize();
        t.loss().lossAndDelta(t.activation(last), ws.z[last], ws.a[last], y, yOff, ws.delta[last], k, m, ws.sampleLoss);
        double loss = weightedSum(ws.sampleLoss, rowWeights, rwOff, m);
        if (rowWeights != null) {
            // A row's weight scales its whole gradient, i.e. its column of the output delta.
            double[] d = ws.delta[last];
            for (int j = 0; j < m; j++) {
                double rw = rowWeights[rwOff + j];
                for (int r = j * k; r < (j + 1) * k; r++) d[r] *= rw;
            }
        }
        return loss;
    }
}
