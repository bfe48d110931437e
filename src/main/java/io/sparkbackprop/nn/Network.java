package io.sparkbackprop.nn;

import breeze.linalg.DenseMatrix;
import breeze.linalg.DenseVector;
import java.io.Serializable;
import java.util.Objects;

/**
 * A topology with its weights: the one flat {@code double[]} whose per-layer views are W_l (n_l × n_{l-1})
 * and b_l. Optionally carries the {@link Scaling} the network was trained with, so predictions come back
 * in the label's units.
 */
public final class Network implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Topology topology;
    private final double[] weights;
    private final Scaling scaling;

    public Network(Topology topology, double[] weights, Scaling scaling) {
        this.topology = Objects.requireNonNull(topology);
        if (weights.length != topology.numParams()) {
            throw new IllegalArgumentException("expected " + topology.numParams() + " weights for " + topology + ", got " + weights.length);
        }
        if (scaling != null && scaling.numFeatures() != topology.inputSize()) {
            throw new IllegalArgumentException("scaling has " + scaling.numFeatures() + " features, the network " + topology.inputSize());
        }
        this.weights = weights;
        this.scaling = scaling;
    }

    public Network(Topology topology, double[] weights) {
        this(topology, weights, null);
    }

    public Topology topology() {
        return topology;
    }

    /** The flat weights (not a copy). */
    public double[] weights() {
        return weights;
    }

    /** The feature/label scaling applied around the network, or null. */
    public Scaling scaling() {
        return scaling;
    }

    /** W_l as a Breeze matrix viewing the flat weights without copying. */
    public DenseMatrix<Object> weightMatrix(int layer) {
        return new DenseMatrix<>(topology.outputsOf(layer), topology.inputsOf(layer), weights, topology.weightOffset(layer));
    }

    /** b_l as a Breeze vector viewing the flat weights without copying. */
    public DenseVector<Object> bias(int layer) {
        return new DenseVector<>(weights, topology.biasOffset(layer), 1, topology.outputsOf(layer));
    }

    /** Outputs for one row of raw features (scaled in and out when the network carries a scaling). */
    public double[] predict(double[] features) {
        return predictBlock(features, 1);
    }

    /**
     * The output layer's pre-activation Z for one row of raw features: the logit of a sigmoid output, the
     * logits of a softmax output (never label-scaled).
     */
    public double[] logits(double[] features) {
        checkRows(features, 1);
        double[] out = new double[topology.outputSize()];
        scoreBlock(scratch(features), 1, out, null);
        return out;
    }

    /** The caller's features as scoreBlock may scale them in place: a copy when there is a scaling to apply. */
    private double[] scratch(double[] features) {
        return scaling == null ? features : features.clone();
    }

    private void checkRows(double[] features, int m) {
        int n = topology.inputSize();
        if (features.length != n * m) {
            throw new IllegalArgumentException("expected " + m + " rows of " + n + " features, got " + features.length + " values");
        }
    }

    /**
     * Scores m rows of raw features stacked column-major (x[0, n·m); scaled in place when the network carries a scaling,
     * so x is the caller's scratch) in one forward pass: the output layer's Z into z and its outputs in label units into
     * a (k × m each; either may be null). What batch scoring runs per chunk: no buffer is allocated (the thread's
     * workspace is reused), only the small Backprop view.
     */
    public void scoreBlock(double[] x, int m, double[] z, double[] a) {
        if (scaling != null) scaling.scaleFeaturesInPlace(x, m);
        new Backprop(weights, Workspace.forThread(topology, 1024)).outputs(x, 0, m, z, a, 0);
        if (a != null && scaling != null) scaling.unscaleOutputs(a, m);
    }

    /**
     * Scores rows whose features are already scaled as this network's scaling would (sparse rows, scaled by the caller
     * without centring): Z into z, outputs in label units into a (either may be null).
     */
    public void scoreScaled(Features x, double[] z, double[] a) {
        new Backprop(weights, Workspace.forThread(topology, 1024)).outputs(x, z, a, 0);
        if (a != null && scaling != null) scaling.unscaleOutputs(a, x.rows());
    }

    /** The output layer's Z of one sparse row (its nonzeros' increasing indices and values), never made dense unless the scaling centres. */
    public double[] logits(int[] indices, double[] values) {
        return scoreRow(indices, values, true);
    }

    /** The outputs, in label units, of one sparse row. */
    public double[] predict(int[] indices, double[] values) {
        return scoreRow(indices, values, false);
    }

    private double[] scoreRow(int[] indices, double[] values, boolean logits) {
        int n = topology.inputSize();
        double[] out = new double[topology.outputSize()];
        if (scaling != null && scaling.centresFeatures()) {
            // Centring moves every zero: the row is scored dense, as the scaling asks.
            double[] x = new double[n];
            for (int p = 0; p < indices.length; p++) x[indices[p]] = values[p];
            scoreBlock(x, 1, logits ? out : null, logits ? null : out);
            return out;
        }
        double[] v = values.clone();
        if (scaling != null) {
            for (int p = 0; p < v.length; p++) v[p] /= scaling.featureStdAt(indices[p]);
        }
        scoreScaled(SparseRows.of(n, new int[] {0, indices.length}, indices.clone(), v), logits ? out : null, logits ? null : out);
        return out;
    }

    /** Outputs (k × m, column-major) for m rows stacked column-major, in label units. */
    public double[] predictBlock(double[] features, int m) {
        checkRows(features, m);
        double[] out = new double[topology.outputSize() * m];
        scoreBlock(scratch(features), m, null, out);
        return out;
    }
}
