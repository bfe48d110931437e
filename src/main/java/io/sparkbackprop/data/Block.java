package io.sparkbackprop.data;

import io.sparkbackprop.nn.Features;
import io.sparkbackprop.nn.SparseRows;
import java.io.Serializable;

/**
 * A run of rows stacked column-major: the features are (numFeatures × rows), {@code labels} is
 * (labelWidth × rows). Training data is cached as blocks, never as per-row objects, so the cache holds
 * little more than the raw values and every product over it is one BLAS call.
 * <p>
 * The features are double, or float in a block {@link #inSingle() made for} a {@code --precision float} run: that
 * pass's products read float anyway, so the cache holds half the bytes and no chunk is converted on every step.
 * Labels and row weights stay double (the loss is double in either precision).
 * <p>
 * Or the features are {@link SparseRows} (compressed rows, values in double or float): what sparse input is stored as,
 * so the cache costs ~12 bytes a nonzero whatever the width and the first layer's products run over the nonzeros
 * ({@link #input()} is what the kernel reads, whichever the storage).
 */
public final class Block implements Serializable {
    private static final long serialVersionUID = 3L;

    private final int rows;
    private final int numFeatures;
    private final int labelWidth;
    /** Exactly one of the three holds the features. */
    private final double[] features;
    private final float[] singleFeatures;
    private final SparseRows sparse;
    private final double[] labels;
    /** One weight per row, or null when every row weighs 1 (the common case costs nothing). */
    private final double[] weights;
    /** Whether any of the rows came as a sparse vector (whatever the storage): what makes sparse input, with its density. */
    private final boolean fromSparseVectors;

    public Block(int rows, int numFeatures, int labelWidth, double[] features, double[] labels) {
        this(rows, numFeatures, labelWidth, features, labels, null);
    }

    public Block(int rows, int numFeatures, int labelWidth, double[] features, double[] labels, double[] weights) {
        this(rows, numFeatures, labelWidth, features, null, null, labels, weights, false);
    }

    /** A block of sparse rows (their width is the number of features). */
    public static Block sparse(SparseRows features, int labelWidth, double[] labels, double[] weights) {
        return new Block(features.rows(), features.width(), labelWidth, null, null, features, labels, weights, true);
    }

    private Block(int rows, int numFeatures, int labelWidth, double[] features, float[] singleFeatures, SparseRows sparse,
                  double[] labels, double[] weights, boolean fromSparseVectors) {
        long featureValues = features != null ? features.length : singleFeatures != null ? singleFeatures.length
                : (long) sparse.rows() * numFeatures;
        if (featureValues != (long) rows * numFeatures || labels.length != rows * labelWidth
                || (weights != null && weights.length != rows)) {
            throw new IllegalArgumentException("block arrays do not match " + rows + " rows of " + numFeatures
                    + " features and " + labelWidth + " label values");
        }
        this.weights = weights;
        this.rows = rows;
        this.numFeatures = numFeatures;
        this.labelWidth = labelWidth;
        this.features = features;
        this.singleFeatures = singleFeatures;
        this.sparse = sparse;
        this.fromSparseVectors = fromSparseVectors;
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

    /** Whether the features are held in float ({@link #singleFeatures()}) rather than double ({@link #features()}). */
    public boolean single() {
        return singleFeatures != null || (sparse != null && sparse.single());
    }

    /**
     * Whether any row came as a sparse vector (Spark's {@code SparseVector}, a LIBSVM line), stored sparse or not: with a
     * low density that is sparse input, which is neither standardized nor updated densely ({@code TrainingSet#sparseInput}).
     */
    public boolean fromSparseVectors() {
        return fromSparseVectors;
    }

    /** This block marked as holding rows that came as sparse vectors (a dense block of them). */
    public Block markedFromSparseVectors() {
        return new Block(rows, numFeatures, labelWidth, features, singleFeatures, sparse, labels, weights, true);
    }

    /** Whether the features are {@link SparseRows} ({@link #sparseFeatures()}). */
    public boolean isSparse() {
        return sparse != null;
    }

    /** The sparse rows of a block that {@link #isSparse() is sparse}. */
    public SparseRows sparseFeatures() {
        if (sparse == null) throw new IllegalStateException("this block holds dense features: read features()");
        return sparse;
    }

    /** The features as the kernel reads them, whatever their storage. */
    public Features input() {
        if (sparse != null) return sparse;
        return features != null ? Features.dense(features, 0, numFeatures, rows) : Features.single(singleFeatures, 0, numFeatures, rows);
    }

    /** Bytes the features, labels and row weights hold: what the block costs in the cache, about. */
    public long bytes() {
        long x = sparse != null ? sparse.bytes() : features != null ? 8L * features.length : 4L * singleFeatures.length;
        return x + 8L * labels.length + (weights == null ? 0 : 8L * weights.length);
    }

    /** Column-major (numFeatures × rows); row j starts at j·numFeatures. Only for a dense block that is not {@link #single()}. */
    public double[] features() {
        if (features == null) {
            throw new IllegalStateException("this block holds its features " + (sparse != null ? "as sparse rows: read sparseFeatures()"
                    : "in float: read singleFeatures()"));
        }
        return features;
    }

    /** The float features of a {@link #single()} block, laid out as {@link #features()}. */
    public float[] singleFeatures() {
        if (singleFeatures == null) throw new IllegalStateException("this block holds no dense float features: read input()");
        return singleFeatures;
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
        return new Block(rows, numFeatures, labelWidth, newFeatures, null, null, newLabels, weights, fromSparseVectors);
    }

    /** A sparse block with the same weights and new sparse features and labels (e.g. scaled ones). */
    public Block withValues(SparseRows newFeatures, double[] newLabels) {
        if (newFeatures.width() != numFeatures || newFeatures.rows() != rows) {
            throw new IllegalArgumentException("sparse rows of " + newFeatures.rows() + " × " + newFeatures.width() + " for a block of "
                    + rows + " × " + numFeatures);
        }
        return new Block(rows, numFeatures, labelWidth, null, null, newFeatures, newLabels, weights, fromSparseVectors);
    }

    /**
     * This block with its features rounded to float (each to the nearest float, as the float pass rounds a double
     * chunk), sharing the labels and weights; a block already in float is returned as it is.
     */
    public Block inSingle() {
        if (single()) return this;
        if (sparse != null) return new Block(rows, numFeatures, labelWidth, null, null, sparse.inSingle(), labels, weights, true);
        float[] x = new float[features.length];
        for (int i = 0; i < x.length; i++) x[i] = (float) features[i];
        return new Block(rows, numFeatures, labelWidth, null, x, null, labels, weights, fromSparseVectors);
    }
}
