package io.sparkbackprop.nn;

/**
 * Reusable buffers for forward/backward over up to {@link #capacity()} rows: per layer Z, A and the
 * back-propagated δ, each hidden layer's output as the next layer reads it, the first layer's view of its
 * input, a vector of ones for bias sums; dropout's masks and the float pass's buffers on first use. One
 * per task thread, so the hot loop allocates nothing per chunk.
 */
public final class Workspace {
    private static final ThreadLocal<Workspace> PER_THREAD = new ThreadLocal<>();

    final Topology topology;
    final int capacity;
    final double[][] z;
    final double[][] a;
    final double[][] delta;
    final double[] ones;
    final double[] sampleLoss;
    final double[] sampleHit;
    /** The first layer's view of a chunk of dense features. */
    final DenseInput input;
    /** Hidden layer l's output (thinned while dropping out) as layer l+1 reads it. */
    final DenseInput[] outputs;
    /** Dropout's per-layer masks (0 or 1/(1−p)) and thinned activations, allocated on first use. */
    double[][] keep;
    double[][] dropped;
    private Single single;
    private DenseSingleInput singleInput;
    private SparseInput sparseInput;

    public Workspace(Topology topology, int capacity) {
        if (capacity <= 0) throw new IllegalArgumentException("workspace capacity must be positive");
        this.topology = topology;
        this.capacity = capacity;
        int layers = topology.numLayers();
        z = new double[layers][];
        a = new double[layers][];
        delta = new double[layers][];
        outputs = new DenseInput[layers - 1];
        for (int l = 0; l < layers; l++) {
            int len = topology.outputsOf(l) * capacity;
            z[l] = new double[len];
            a[l] = new double[len];
            delta[l] = new double[len];
            if (l < layers - 1) outputs[l] = new DenseInput(topology.outputsOf(l), capacity);
        }
        input = new DenseInput(topology.inputSize(), capacity);
        sampleLoss = new double[capacity];
        sampleHit = new double[capacity];
        ones = new double[capacity];
        java.util.Arrays.fill(ones, 1.0);
    }

    void ensureDropoutBuffers() {
        if (keep != null) return;
        int layers = topology.numLayers();
        keep = new double[layers][];
        dropped = new double[layers][];
        for (int l = 0; l < layers - 1; l++) {
            keep[l] = new double[topology.outputsOf(l) * capacity];
            dropped[l] = new double[topology.outputsOf(l) * capacity];
        }
    }

    /** The first layer's view of a chunk of float features (a block cached for a float run), made on first use. */
    DenseSingleInput singleInput() {
        if (singleInput == null) singleInput = new DenseSingleInput(topology.inputSize(), capacity);
        return singleInput;
    }

    /** The first layer's view of a chunk of sparse rows, made on first use. */
    SparseInput sparseInput() {
        if (sparseInput == null) sparseInput = new SparseInput(topology.inputSize(), capacity);
        return sparseInput;
    }

    /** The float products' scratch, sized for the widest layer. */
    Single single() {
        if (single == null) single = new Single(topology, capacity);
        return single;
    }

    /** The calling thread's workspace for this topology, reallocated only when the shape changes. */
    public static Workspace forThread(Topology topology, int capacity) {
        Workspace ws = PER_THREAD.get();
        if (ws == null || ws.capacity != capacity || !ws.topology.equals(topology)) {
            ws = new Workspace(topology, capacity);
            PER_THREAD.set(ws);
        }
        return ws;
    }

    public int capacity() {
        return capacity;
    }

    public Topology topology() {
        return topology;
    }

    /** The buffers of {@link LayerArithmetic.Single}'s float pass, per layer. */
    static final class Single {
        /** W·A (+ b on hidden layers) of each layer; the output layer's is widened to double for its bias. */
        final float[][] z;
        /** g(Z) of each hidden layer. */
        final float[][] a;
        /** dLoss/dZ of each layer (the output layer's narrowed from double). */
        final float[][] delta;
        /** Each hidden layer's output as the layer above reads it. */
        final SingleInput[] outputs;
        private final float[][] dropped;
        private final int capacity;
        private final Topology topology;
        /** The layers' dW summed over chunks, in the weights' layout (the biases' places unused), and whether any is. */
        final float[] weightSums;
        boolean pending;

        Single(Topology t, int capacity) {
            this.topology = t;
            this.capacity = capacity;
            int layers = t.numLayers();
            z = new float[layers][];
            a = new float[layers][];
            delta = new float[layers][];
            dropped = new float[layers][];
            outputs = new SingleInput[layers - 1];
            for (int l = 0; l < layers; l++) {
                int len = t.outputsOf(l) * capacity;
                z[l] = new float[len];
                delta[l] = new float[len];
                if (l < layers - 1) {
                    a[l] = new float[len];
                    outputs[l] = new SingleInput(t.outputsOf(l), capacity);
                }
            }
            weightSums = new float[t.numParams()];
        }

        /** Hidden layer l's thinned output, allocated on the first pass with dropout. */
        float[] dropped(int l) {
            if (dropped[l] == null) dropped[l] = new float[topology.outputsOf(l) * capacity];
            return dropped[l];
        }

        /** Adds the summed dW into grad and starts the sums again from zero. */
        void addPendingInto(double[] grad) {
            if (!pending) return;
            for (DenseLayer layer : topology.layers()) {
                int from = layer.weightOffset();
                int len = layer.outputs() * layer.inputs();
                Blas.addInto(weightSums, from, grad, from, len);
                java.util.Arrays.fill(weightSums, from, from + len, 0f);
            }
            pending = false;
        }

        /** Sums a failed pass left behind are not carried into the next pass on this thread. */
        void discardPending() {
            if (!pending) return;
            java.util.Arrays.fill(weightSums, 0f);
            pending = false;
        }
    }
}
