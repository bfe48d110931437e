package io.sparkbackprop.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.SparkTestSession;
import io.sparkbackprop.nn.Scaling;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The scaling statistics against a plain two-pass computation, and the same bits whichever partition finishes last. */
class StandardizerTest {
    private static SparkSession spark;
    private static JavaSparkContext sc;
    /** Three partitions of unequal sizes, one block each, a feature with a large offset (where merging order shows). */
    private static final int[] ROWS = {7, 50, 23};
    private static List<Block> blocks;

    @BeforeAll
    static void start() {
        spark = SparkTestSession.start("StandardizerTest");
        sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        SplittableRandom random = new SplittableRandom(11);
        blocks = new ArrayList<>();
        for (int rows : ROWS) {
            double[] x = new double[2 * rows];
            double[] y = new double[rows];
            for (int j = 0; j < rows; j++) {
                x[2 * j] = 1e6 + random.nextDouble();
                x[2 * j + 1] = random.nextGaussian() * 5;
                y[j] = 3 * x[2 * j + 1] + random.nextDouble();
            }
            blocks.add(new Block(rows, 2, 1, x, y));
        }
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** The blocks in their three partitions, partition {@code slow}'s task held back so that it finishes last. */
    private static JavaRDD<Block> withSlowPartition(int slow) {
        return sc.parallelize(blocks, ROWS.length).mapPartitionsWithIndex((index, it) -> {
            if (index == slow) Thread.sleep(400);
            return it;
        }, true);
    }

    @Test
    void meanAndDeviationMatchAPlainTwoPassComputation() {
        Scaling s = Standardizer.fit(sc.parallelize(blocks, ROWS.length), 2, 1, true);
        for (int c = 0; c < 3; c++) {
            List<Double> values = new ArrayList<>();
            for (Block b : blocks) {
                for (int j = 0; j < b.rows(); j++) values.add(c < 2 ? b.features()[2 * j + c] : b.labels()[j]);
            }
            // Exactly, in decimal: the reference carries no rounding of its own.
            java.math.MathContext mc = java.math.MathContext.DECIMAL128;
            java.math.BigDecimal sum = java.math.BigDecimal.ZERO;
            for (double v : values) sum = sum.add(new java.math.BigDecimal(v));
            java.math.BigDecimal exactMean = sum.divide(java.math.BigDecimal.valueOf(values.size()), mc);
            java.math.BigDecimal squares = java.math.BigDecimal.ZERO;
            for (double v : values) {
                java.math.BigDecimal d = new java.math.BigDecimal(v).subtract(exactMean);
                squares = squares.add(d.multiply(d));
            }
            double mean = exactMean.doubleValue();
            double std = Math.sqrt(squares.divide(java.math.BigDecimal.valueOf(values.size()), mc).doubleValue());
            double fittedMean = c < 2 ? s.featureMean()[c] : s.labelMean()[0];
            double fittedStd = c < 2 ? s.featureStd()[c] : s.labelStd()[0];
            assertEquals(mean, fittedMean, 1e-12 * Math.abs(mean), "mean of column " + c);
            assertEquals(std, fittedStd, 1e-9 * std, "deviation of column " + c);
        }
    }

    @Test
    void theStatisticsDoNotDependOnWhichTaskFinishesFirst() {
        Scaling first = Standardizer.fit(withSlowPartition(0), 2, 1, true);
        for (int slow = 1; slow < ROWS.length; slow++) {
            Scaling other = Standardizer.fit(withSlowPartition(slow), 2, 1, true);
            assertArrayEquals(first.featureMean(), other.featureMean(), 0.0, "partition " + slow + " last");
            assertArrayEquals(first.featureStd(), other.featureStd(), 0.0, "partition " + slow + " last");
            assertArrayEquals(first.labelMean(), other.labelMean(), 0.0, "partition " + slow + " last");
            assertArrayEquals(first.labelStd(), other.labelStd(), 0.0, "partition " + slow + " last");
        }
    }

    /**
     * Sparse input (under a tenth of the values nonzero) keeps its features: no scaling at all for a classifier, the
     * identity on the features and the labels' plain mean and deviation for a regressor; a dense block of the same
     * rows gives the same decision (it is the data's, not the storage's).
     */
    @Test
    void sparseInputIsNotStandardizedWhicheverItsStorage() {
        int width = 40;
        java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
        java.util.List<BlockStacker.Row> rows = new java.util.ArrayList<>();
        double[] labels = new double[50];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = rng.nextDouble(-5, 5);
            int c = rng.nextInt(width);
            rows.add(new BlockStacker.Row(new double[] {rng.nextDouble(1, 3)}, new int[] {c}, new double[] {labels[i]}, 1.0));
        }
        double mean = 0;
        for (double y : labels) mean += y / labels.length;
        double var = 0;
        for (double y : labels) var += (y - mean) * (y - mean) / labels.length;
        for (FeatureStorage storage : new FeatureStorage[] {FeatureStorage.SPARSE, FeatureStorage.DENSE}) {
            java.util.List<Block> blocks = new java.util.ArrayList<>();
            BlockStacker.stack(rows.iterator(), width, 1, 16, false, storage).forEachRemaining(blocks::add);
            assertEquals(storage == FeatureStorage.SPARSE, blocks.get(0).isSparse(), storage.id());
            JavaRDD<Block> rdd = sc.parallelize(blocks, 2);
            assertEquals(null, Standardizer.fit(rdd, width, 1, true, false), storage.id() + ": nothing to scale");
            Scaling withLabels = Standardizer.fit(rdd, width, 1, true, true);
            assertTrue(withLabels.isIdentityOnFeatures(), storage.id());
            assertEquals(mean, withLabels.labelMean()[0], 1e-12, storage.id());
            assertEquals(Math.sqrt(var), withLabels.labelStd()[0], 1e-12, storage.id());
        }
    }
}
