package io.sparkbackprop.data;

import java.io.Serializable;

/**
 * A run of rows stacked column-major: {@code features} is (numFeatures × rows), {@code labels} is
 * (labelWidth × rows). Training data is cached as blocks, never as per-row objects, so the cache holds
 * little more than the raw doubles and every product over it is one BLAS call.
 */
public final class Block implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int rows;
    private final int numFeatures;
    private final int labelWidth;
    private final double[] features;
    private final double[] labels;
    /** One weight per row, or null when every row weighs 1 (the common case costs nothing). */
    private final double[] weights;

    public Block(int rows, int numFeatures, int labelWidth, double[] features, double[] labels) {
        this(rows, numFeatures, labelWidth, features, labels, null);
    }

    public Block(int rows, int numFeatures, int labelWidth, double[] features, double[] labels, double[] weights) {
        if (features.length != rows * numFeatures || labels.length != rows * labelWidth
                || (weights != null && weights.length != rows)) {
            throw new IllegalArgumentException("block arrays do not match " + rows + " rows of " + numFeatures
                    + " features and " + labelWidth + " label values");
        }
        this.weights = weights;
        this.rows = rows;
        this.numFeatures = numFeatures;
        this.labelWidth = labelWidth;
        this.features = features;
        this.labels = labels;
    }

    public int rows() {
        return rows;
    }

    public int numFeatures() {
        return numFeatures;
    }

    public int labelWidth() {
        return labelWidth;
    }

    /** Column-major (numFeatures × rows); row j starts at j·numFeatures. */
    public double[] features() {
        return features;
    }

    /** Column-major (labelWidth × rows); row j starts at j·labelWidth. */
    public double[] labels() {
        return labels;
    }

    /** Row weights, or null when all rows weigh 1. */
    public double[] weights() {
        return weights;
    }

    /** A block with the same weights and new features and labels (e.g. scaled ones). */
    public Block withValues(double[] newFeatures, double[] newLabels) {
        return new Block(rows, numFeatures, labelWidth, newFeatures, newLabels, weights);
    }
}
