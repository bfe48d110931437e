package io.sparkbackprop.data;

import java.util.Iterator;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Friedman #1 regression data, generated on the executors (only seeds travel from the driver):
 * 10 features uniform on [0,1), y = 10 sin(π x0 x1) + 20 (x2−0.5)² + 10 x3 + 5 x4 + N(0,1).
 * Features 5..9 are noise; the best possible mean squared error is the noise variance, 1.0.
 */
public final class Friedman1 {
    public static final int FEATURES = 10;

    private Friedman1() {
    }

    /** The noise-free target. */
    public static double target(double[] x, int off) {
        return 10 * Math.sin(Math.PI * x[off] * x[off + 1]) + 20 * (x[off + 2] - 0.5) * (x[off + 2] - 0.5)
                + 10 * x[off + 3] + 5 * x[off + 4];
    }

    /**
     * {@code rows} rows in {@code partitions} partitions of near-equal size. Partition p draws from a
     * generator seeded by (seed, p), so the data depends only on seed, rows and partitions.
     */
    public static JavaRDD<Block> generate(JavaSparkContext sc, long rows, int partitions, long seed, int blockCapacity) {
        return Generated.perPartition(sc, rows, partitions, (p, count) -> {
            SplittableRandom rng = new SplittableRandom(mix(seed, p));
            Iterator<BlockStacker.Row> generated = Generated.take(count, () -> {
                double[] x = new double[FEATURES];
                for (int f = 0; f < FEATURES; f++) x[f] = rng.nextDouble();
                return new BlockStacker.Row(x, new double[] {target(x, 0) + rng.nextGaussian()});
            });
            return BlockStacker.stack(generated, FEATURES, 1, blockCapacity);
        });
    }

    static long mix(long seed, long stream) {
        return new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (stream + 1))).nextLong();
    }
}
