package io.sparkbackprop.nn;

/**
 * Reusable buffers for forward/backward over up to {@link #capacity()} samples: per layer Z, A and the
 * back-propagated delta, plus a vector of ones for bias sums. One per task thread, so the hot loop
 * allocates nothing per block.
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
    /** Dropout's per-layer masks (0 or 1/(1−p)) and thinned activations, allocated on first use. */
    double[][] keep;
    double[][] dropped;

    public Workspace(Topology topology, int capacity) {
        if (capacity <= 0) throw new IllegalArgumentException("workspace capacity must be positive");
        this.topology = topology;
        this.capacity = capacity;
        int layers = topology.numLayers();
        z = new double[layers][];
        a = new double[layers][];
        delta = new double[layers][];
        for (int l = 0; l < layers; l++) {
            int len = topology.outputsOf(l) * capacity;
            z[l] = new double[len];
            a[l] = new double[len];
            delta[l] = new double[len];
        }
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
}
