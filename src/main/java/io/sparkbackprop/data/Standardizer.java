package io.sparkbackprop.data;

import io.sparkbackprop.nn.Scaling;
import org.apache.spark.api.java.JavaRDD;

/**
 * Learns a {@link Scaling} (mean and population deviation per feature and, optionally, per label value)
 * from training blocks in one pass, and applies it to blocks. Sums are merged pairwise per partition
 * (Chan et al.'s parallel variance) so large offsets do not cancel catastrophically, in partition order, so that the
 * same rows in the same partitions give the same bits every run.
 */
public final class Standardizer {
    private Standardizer() {
    }

    public static Scaling fit(JavaRDD<Block> blocks, int numFeatures, int labelWidth, boolean scaleLabels) {
        int width = numFeatures + labelWidth;
        double[] stats = blocks.mapPartitions(it -> {
            // [count, mean (width), M2 (width)]
            double[] s = new double[1 + 2 * width];
            while (it.hasNext()) {
                Block b = it.next();
                for (int j = 0; j < b.rows(); j++) {
                    double n = ++s[0];
                    for (int c = 0; c < width; c++) {
                        double v = c < numFeatures ? b.features()[j * numFeatures + c] : b.labels()[j * labelWidth + c - numFeatures];
                        double delta = v - s[1 + c];
                        s[1 + c] += delta / n;
                        s[1 + width + c] += delta * (v - s[1 + c]);
                    }
                }
            }
            return java.util.List.of(s).iterator();
        }).collect().stream()
                // Merged in partition order on the driver, not as the tasks finish (reduce): the pairwise merge is not
                // symmetric in floating point, so an order that varied run to run gave statistics, and so models, that
                // differed in their last bits.
                .reduce((a, b) -> merge(a, b, width)).orElse(new double[1 + 2 * width]);
        if (stats[0] == 0) throw new IllegalArgumentException("cannot standardize: the training data has no rows");
        double[] fMean = new double[numFeatures];
        double[] fStd = new double[numFeatures];
        double[] lMean = new double[labelWidth];
        double[] lStd = new double[labelWidth];
        for (int c = 0; c < width; c++) {
            double mean = stats[1 + c];
            double std = Math.sqrt(stats[1 + width + c] / stats[0]);
            if (c < numFeatures) {
                fMean[c] = mean;
                fStd[c] = std;
            } else {
                lMean[c - numFeatures] = mean;
                lStd[c - numFeatures] = std;
            }
        }
        return scaleLabels ? new Scaling(fMean, fStd, lMean, lStd) : new Scaling(fMean, fStd, null, null);
    }

    private static double[] merge(double[] a, double[] b, int width) {
        double n = a[0] + b[0];
        if (a[0] == 0) return b;
        if (b[0] == 0) return a;
        double[] s = new double[a.length];
        s[0] = n;
        for (int c = 0; c < width; c++) {
            double delta = b[1 + c] - a[1 + c];
            s[1 + c] = a[1 + c] + delta * b[0] / n;
            s[1 + width + c] = a[1 + width + c] + b[1 + width + c] + delta * delta * a[0] * b[0] / n;
        }
        return s;
    }

    /**
     * The scaling a run asks for: null when it scales nothing; the features' mean and deviation, or the identity on
     * the features (mean 0, deviation 1) when only the labels are standardized.
     */
    public static Scaling fit(JavaRDD<Block> blocks, int numFeatures, int labelWidth, boolean scaleFeatures, boolean scaleLabels) {
        if (!scaleFeatures && !scaleLabels) return null;
        Scaling learned = fit(blocks, numFeatures, labelWidth, scaleLabels);
        if (scaleFeatures) return learned;
        double[] ones = new double[numFeatures];
        java.util.Arrays.fill(ones, 1.0);
        return new Scaling(new double[numFeatures], ones, learned.labelMean(), learned.labelStd());
    }

    /** The blocks with features (and labels, when the scaling has them) standardized. */
    public static JavaRDD<Block> apply(JavaRDD<Block> blocks, Scaling scaling) {
        return blocks.map(b -> {
            double[] x = scaling.scaleFeatures(b.features(), b.rows());
            double[] y = b.labels().clone();
            scaling.scaleLabelsInPlace(y, b.rows());
            return b.withValues(x, y);
        });
    }
}
