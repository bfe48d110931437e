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

    public Block(int rows, int numFeatures, int labelWidth, double[] features, double[] labels) {
        if (features.length != rows * numFeatures || labels.length != rows * labelWidth) {
            throw new IllegalArgumentException("block arrays do not match " + rows + " rows of " + numFeatures
                    + " features and " + labelWidth + " label values");
        }
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
}
