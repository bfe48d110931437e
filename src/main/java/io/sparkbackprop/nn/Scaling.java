package io.sparkbackprop.nn;

import java.io.Serializable;

/**
 * Standardisation learned from the training set: x' = (x − mean)/std for features and, for regression,
 * y' = (y − mean)/std for labels. The network trains on scaled values; predictions are mapped back.
 * A zero deviation (a constant column) is stored as 1 so it maps to 0 instead of NaN.
 */
public final class Scaling implements Serializable {
    private static final long serialVersionUID = 1L;

    private final double[] featureMean;
    private final double[] featureStd;
    /** Null when labels are not scaled (classification). */
    private final double[] labelMean;
    private final double[] labelStd;

    public Scaling(double[] featureMean, double[] featureStd, double[] labelMean, double[] labelStd) {
        if (featureMean.length != featureStd.length) throw new IllegalArgumentException("feature mean and std differ in length");
        if ((labelMean == null) != (labelStd == null) || (labelMean != null && labelMean.length != labelStd.length)) {
            throw new IllegalArgumentException("label mean and std must both be given, of one length");
        }
        this.featureMean = featureMean.clone();
        this.featureStd = safe(featureStd);
        this.labelMean = labelMean == null ? null : labelMean.clone();
        this.labelStd = labelStd == null ? null : safe(labelStd);
    }

    private static double[] safe(double[] std) {
        double[] s = std.clone();
        for (int i = 0; i < s.length; i++) {
            if (!(s[i] > 0) || !Double.isFinite(s[i])) s[i] = 1.0;
        }
        return s;
    }

    public int numFeatures() {
        return featureMean.length;
    }

    public boolean scalesLabels() {
        return labelMean != null;
    }

    public double[] featureMean() {
        return featureMean.clone();
    }

    public double[] featureStd() {
        return featureStd.clone();
    }

    /** Feature c's deviation (what its values are divided by), without copying them all. */
    public double featureStdAt(int c) {
        return featureStd[c];
    }

    public double[] labelMean() {
        return labelMean == null ? null : labelMean.clone();
    }

    public double[] labelStd() {
        return labelStd == null ? null : labelStd.clone();
    }

    /** Whether any feature's mean is subtracted (a scaling learned from sparse input subtracts none). */
    public boolean centresFeatures() {
        for (double m : featureMean) if (m != 0) return true;
        return false;
    }

    /** Whether the features pass unchanged (every mean 0 and deviation 1): a scaling learned from sparse input. */
    public boolean isIdentityOnFeatures() {
        for (int i = 0; i < featureMean.length; i++) if (featureMean[i] != 0 || featureStd[i] != 1) return false;
        return true;
    }

    /** The sparse rows' values scaled, x/std at each nonzero: only for a scaling that does not centre (zeros stay zeros). */
    public double[] scaleSparse(SparseRows x) {
        if (centresFeatures()) throw new IllegalStateException("a scaling that centres would move every zero of sparse rows");
        double[] out = new double[x.nonzeros()];
        for (int p = 0; p < out.length; p++) out[p] = x.value(p) / featureStd[x.index(p)];
        return out;
    }

    /** A scaled copy of m rows of features stored column-major. */
    public double[] scaleFeatures(double[] x, int m) {
        double[] out = new double[x.length];
        scaleInPlace(x, out, featureMean, featureStd, m);
        return out;
    }

    /** Scales m rows of features stored column-major in place. */
    public void scaleFeaturesInPlace(double[] x, int m) {
        scaleInPlace(x, x, featureMean, featureStd, m);
    }

    /** Scales m label columns in place (no-op when labels are not scaled). */
    public void scaleLabelsInPlace(double[] y, int m) {
        if (labelMean != null) scaleInPlace(y, y, labelMean, labelStd, m);
    }

    /** Maps m output columns back to label units in place. */
    public void unscaleOutputs(double[] out, int m) {
        if (labelMean == null) return;
        int k = labelMean.length;
        for (int j = 0; j < m; j++) {
            for (int r = 0; r < k; r++) out[j * k + r] = out[j * k + r] * labelStd[r] + labelMean[r];
        }
    }

    private static void scaleInPlace(double[] in, double[] out, double[] mean, double[] std, int m) {
        int n = mean.length;
        for (int j = 0; j < m; j++) {
            for (int r = 0; r < n; r++) out[j * n + r] = (in[j * n + r] - mean[r]) / std[r];
        }
    }
}
