package io.sparkbackprop.bench;

import io.sparkbackprop.data.Blocks;
import io.sparkbackprop.data.Generated;
import io.sparkbackprop.train.TrainingSet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The one data set both systems get: cached DataFrames of ({@code features} vector, {@code label} class
 * index), 784 features and 10 classes, either the real digits or generated ones of that shape.
 */
public record BenchData(Dataset<Row> train, Dataset<Row> test, long trainRows, long testRows, String description) {
    static final StructType SCHEMA = new StructType().add("features", new VectorUDT()).add("label", DataTypes.DoubleType);

    public static BenchData load(SparkSession spark, Path mnist, int rows, int partitions, long seed) throws IOException {
        if (mnist != null) {
            MnistFiles.Split split = MnistFiles.read(mnist, rows);
            Dataset<Row> train = fromDigits(spark, split.train(), partitions);
            Dataset<Row> test = fromDigits(spark, split.test(), partitions);
            return new BenchData(train, test, train.count(), test.count(), split.description());
        }
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int testRows = Math.max(rows / 5, 10);
        Dataset<Row> train = cache(spark.createDataFrame(generate(sc, rows, partitions, seed, 0), SCHEMA));
        Dataset<Row> test = cache(spark.createDataFrame(generate(sc, testRows, partitions, seed, 1), SCHEMA));
        return new BenchData(train, test, train.count(), test.count(), "generated MNIST-shaped data (784 features in [0,1], "
                + "10 classes): " + rows + " training and " + testRows + " test rows");
    }

    public void unpersist() {
        train.unpersist();
        test.unpersist();
    }

    private static Dataset<Row> cache(Dataset<Row> df) {
        return df.cache();
    }

    /**
     * Rows read on the driver reach the executors once, through the shuffle of repartition: a DataFrame of
     * local rows would otherwise carry its data inside every task that reads it.
     * Slices of about half a megabyte keep each task of that one shuffle small.
     */
    private static Dataset<Row> fromDigits(SparkSession spark, MnistFiles.Digits d, int partitions) {
        List<Row> rows = new ArrayList<>(d.size());
        for (int i = 0; i < d.size(); i++) rows.add(RowFactory.create(Vectors.dense(d.images()[i]), (double) d.labels()[i]));
        int slices = Math.max(partitions, (int) Math.min(10_000, (long) d.size() * MnistFiles.PIXELS * 8 / 500_000 + 1));
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        return spark.createDataFrame(sc.parallelize(rows, slices), SCHEMA).repartition(partitions).cache();
    }

    /**
     * Digit-like images generated on the executors (only seeds travel): each class has a fixed prototype
     * with about a fifth of its pixels lit, as in MNIST; an image lights its class's pixels at a random
     * intensity, and each pixel is flipped with probability 0.2. Separable, so accuracy says little; this
     * data is for timing. Partition p draws from (seed, stream, p), so the data depends only on those.
     */
    static JavaRDD<Row> generate(JavaSparkContext sc, long rows, int partitions, long seed, int stream) {
        return Generated.perPartition(sc, rows, partitions, (p, count) -> {
            boolean[][] prototypes = prototypes(seed);
            SplittableRandom rng = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (1 + p + 7919L * stream)));
            return Generated.take(count, () -> {
                int label = rng.nextInt(MnistFiles.CLASSES);
                double[] x = new double[MnistFiles.PIXELS];
                for (int j = 0; j < x.length; j++) {
                    boolean lit = prototypes[label][j] ^ rng.nextDouble() < 0.2;
                    x[j] = lit ? 0.5 + 0.5 * rng.nextDouble() : 0.0;
                }
                return RowFactory.create(Vectors.dense(x), (double) label);
            });
        });
    }

    /** A frame of this class's schema as cached training blocks (one label value per row), under {@code name}. */
    static TrainingSet cachedBlocks(Dataset<Row> frame, String name) {
        return TrainingSet.cache(Blocks.fromDataFrame(frame, "features", "label", MnistFiles.PIXELS, 1, 4096), name);
    }

    /** {@link #generate}d rows, cached as training blocks. */
    static TrainingSet generatedBlocks(SparkSession spark, long rows, int partitions, long seed, int stream, String name) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        return cachedBlocks(spark.createDataFrame(generate(sc, rows, partitions, seed, stream), SCHEMA), name);
    }

    static boolean[][] prototypes(long seed) {
        SplittableRandom rng = new SplittableRandom(seed * 31 + 17);
        boolean[][] p = new boolean[MnistFiles.CLASSES][MnistFiles.PIXELS];
        for (boolean[] row : p) {
            for (int j = 0; j < row.length; j++) row[j] = rng.nextDouble() < 0.19;
        }
        return p;
    }
}
