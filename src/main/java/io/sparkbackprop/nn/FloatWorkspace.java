package io.sparkbackprop.nn;

/**
 * The float side of {@link FloatBackprop}'s buffers for up to {@code capacity} samples (the double side is the
 * thread's {@link Workspace}): the chunk's input, each hidden layer's output as the next layer reads it, and
 * scratch for one layer's product at a time. One per task thread, so the hot loop allocates nothing.
 */
final class FloatWorkspace {
    private static final ThreadLocal<FloatWorkspace> PER_THREAD = new ThreadLocal<>();

    final Topology topology;
    final int capacity;
    /** The chunk's features (n_in × m): converted once, read by layer 0's forward product and by its dW product. */
    final float[] x;
    /** Hidden layer l's output (thinned when dropping out), the input of layer l+1 forward and of its dW backward. */
    final float[][] a;
    /** One layer's W·input before the bias is added in double. */
    final float[] z;
    /** One layer's dLoss/dZ, the operand of both its backward products. */
    final float[] delta;
    /** Wᵀ·delta of one layer, before it is widened into the double delta below it. */
    final float[] dA;
    /** One layer's dW over the chunk, added into the double gradient. */
    final float[] dW;

    FloatWorkspace(Topology topology, int capacity) {
        if (capacity <= 0) throw new IllegalArgumentException("workspace capacity must be positive");
        this.topology = topology;
        this.capacity = capacity;
        int layers = topology.numLayers();
        int widestOutput = 0;
        int widestHidden = 1;
        int largestMatrix = 0;
        a = new float[layers - 1][];
        for (int l = 0; l < layers; l++) {
            widestOutput = Math.max(widestOutput, topology.outputsOf(l));
            largestMatrix = Math.max(largestMatrix, topology.outputsOf(l) * topology.inputsOf(l));
            if (l < layers - 1) {
                widestHidden = Math.max(widestHidden, topology.outputsOf(l));
                a[l] = new float[topology.outputsOf(l) * capacity];
            }
        }
        x = new float[topology.inputSize() * capacity];
        z = new float[widestOutput * capacity];
        delta = new float[widestOutput * capacity];
        dA = new float[widestHidden * capacity];
        dW = new float[largestMatrix];
    }

    /** The calling thread's buffers for this topology, reallocated only when the shape changes. */
    static FloatWorkspace forThread(Topology topology, int capacity) {
        FloatWorkspace fs = PER_THREAD.get();
        if (fs == null || fs.capacity != capacity || !fs.topology.equals(topology)) {
            fs = new FloatWorkspace(topology, capacity);
            PER_THREAD.set(fs);
        }
        return fs;
    }
}
