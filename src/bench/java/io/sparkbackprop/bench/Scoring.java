package io.sparkbackprop.bench;

import io.sparkbackprop.data.Friedman1;
import io.sparkbackprop.ml.NeuralNetClassificationModel;
import io.sparkbackprop.ml.NeuralNetRegressionModel;
import io.sparkbackprop.nn.Activation;
import io.sparkbackprop.nn.Blas;
import io.sparkbackprop.nn.Initializer;
import io.sparkbackprop.nn.Loss;
import io.sparkbackprop.nn.Network;
import io.sparkbackprop.nn.Topology;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Batch scoring: rows per second of a fitted model's {@code transform} over cached rows, every output column
 * materialized (written to Spark's {@code noop} sink, so nothing is pruned), against MLlib's
 * {@code MultilayerPerceptronClassificationModel} on the same rows in the same session, and against our own models'
 * row-by-row path (Spark's UDF per column). The systems take turns after a warm-up of each; medians. The weights do
 * not change the work, so both models are made, not trained to convergence: ours from Xavier weights, MLlib's by a
 * one-iteration fit on a thousand of the rows.
 */
final class Scoring {
    static final String SECTION = "scoring";

    private Scoring() {
    }

    static List<Figure> run(SparkSession spark, JavaSparkContext sc, int partitions, BenchSettings s) {
        int rows = s.scoringRows();
        List<Figure> figures = new ArrayList<>();
        Dataset<Row> digits = spark.createDataFrame(BenchData.generate(sc, rows, partitions, s.seed(), 9), BenchData.SCHEMA).cache();
        try {
            digits.count();
            int[] layers = s.layerSizes();
            Topology t = Topology.of(layers[0], java.util.Arrays.copyOfRange(layers, 1, layers.length - 1), Activation.SIGMOID,
                    layers[layers.length - 1], Loss.CROSS_ENTROPY);
            NeuralNetClassificationModel ours = NeuralNetClassificationModel.fromNetwork(new Network(t, Initializer.XAVIER.initialize(t, s.seed())));
            MultilayerPerceptronClassificationModel mllib = new MultilayerPerceptronClassifier().setLayers(layers).setMaxIter(1)
                    .setSeed(s.seed()).fit(digits.limit(1000));
            double[] seconds = turns(s, () -> ours.transform(digits), () -> mllib.transform(digits), () -> ours.transformRowByRow(digits));
            String net = java.util.Arrays.toString(layers).replaceAll("[\\[\\] ]", "").replace(',', '-') + " sigmoid";
            String how = String.format(Locale.ROOT, "%,d cached generated MNIST-shaped rows in %d partitions, %s; prediction, probability and"
                    + " rawPrediction written to the noop sink; medians of %d turns after a warm-up of each", rows, digits.rdd().getNumPartitions(),
                    net, turnsOf(s));
            Figure vsMllib = Figure.of(SECTION, "scoring.mllib", "rows/s, transform " + net + ": ours (in chunks) vs MLlib's model", "rows/s",
                    rows / seconds[0], rows / seconds[1], s.target("scoring.mllib"), how);
            if (vsMllib.verdict() == Figure.Verdict.MISS) {
                vsMllib = vsMllib.withNote("see scoring.mllib-bound: the products alone, on every core at once, against MLlib;"
                        + " README, Scoring");
            }
            figures.add(vsMllib);
            figures.add(Figure.of(SECTION, "scoring.row-by-row", "rows/s, transform " + net + ": in chunks vs our row-by-row path", "rows/s",
                    rows / seconds[0], rows / seconds[2], s.target("scoring.row-by-row"), how + "; the row-by-row path is Spark's own"
                            + " transform over predictRaw, one network evaluation a row"));
            double products = productsAlone(sc, ours.network(), rows, s);
            double forwardFlops = (double) FlopCount.forwardPerRow(t) * rows;
            String productsHow = String.format(Locale.ROOT, "the same model's forward passes over %,d rows of random 1,024-row chunks, no"
                    + " DataFrame: a job of %d tasks at once (every core busy, as when scoring), median of %d turns; %.1f GFLOP, %.1f GFLOP/s"
                    + " in all (one thread's dgemm on 256²: %.0f)", rows, sc.defaultParallelism(), turnsOf(s), forwardFlops / 1e9,
                    forwardFlops / 1e9 / products, Blas.gflops());
            figures.add(Figure.of(SECTION, "scoring.products", "s to score vs the forward products alone on every core", "s", seconds[0],
                    products, s.target("scoring.products"), productsHow + "; the issue's moonshot is within 2x"));
            figures.add(Figure.of(SECTION, "scoring.mllib-bound", "MLlib's s vs the forward products alone: the most any scoring could beat MLlib by",
                    "s", seconds[1], products, s.target("scoring.mllib-bound"), productsHow + "; a scoring that did nothing but the"
                            + " products would be this many times MLlib's rows/s"));

            figures.add(tabular(spark, sc, partitions, s));
        } finally {
            digits.unpersist();
        }
        return figures;
    }

    /** A narrow tabular regressor, 10-64-64-1 on Friedman #1 rows: where the row handling is everything. */
    private static Figure tabular(SparkSession spark, JavaSparkContext sc, int partitions, BenchSettings s) {
        int rows = s.scoringRows();
        StructType schema = new StructType().add("features", new VectorUDT()).add("label", DataTypes.DoubleType);
        JavaRDD<Row> generated = Friedman1.generate(sc, rows, partitions, s.seed(), 4096).flatMap(b -> {
            List<Row> out = new ArrayList<>(b.rows());
            int n = b.numFeatures();
            for (int j = 0; j < b.rows(); j++) {
                out.add(RowFactory.create(Vectors.dense(java.util.Arrays.copyOfRange(b.features(), j * n, (j + 1) * n)), b.labels()[j]));
            }
            return out.iterator();
        });
        Dataset<Row> table = spark.createDataFrame(generated, schema).cache();
        try {
            table.count();
            Topology t = Topology.input(Friedman1.FEATURES).layer(64, Activation.RELU).layer(64, Activation.RELU).output(1, Loss.MSE);
            NeuralNetRegressionModel model = NeuralNetRegressionModel.fromNetwork(new Network(t, Initializer.HE.initialize(t, s.seed())));
            double[] seconds = turns(s, () -> model.transform(table), () -> model.transformRowByRow(table));
            return Figure.of(SECTION, "scoring.tabular", "rows/s, transform 10-64-64-1 relu: in chunks vs our row-by-row path", "rows/s",
                    rows / seconds[0], rows / seconds[1], s.target("scoring.tabular"), String.format(Locale.ROOT,
                            "%,d cached Friedman #1 rows, the prediction written to the noop sink, medians of %d turns after a warm-up",
                            rows, turnsOf(s)));
        } finally {
            table.unpersist();
        }
    }

    /**
     * Median seconds of the forward products alone for {@code rows} rows, split over a job of defaultParallelism tasks that
     * run at once: measured, not the one-thread dgemm rate times the cores, since cores that share a machine's
     * arithmetic units (vCPUs that are one host core's SMT threads, or a shared FMA unit) do not add up.
     */
    private static double productsAlone(JavaSparkContext sc, Network network, int rows, BenchSettings s) {
        int tasks = sc.defaultParallelism();
        JavaRDD<Integer> slices = sc.parallelize(java.util.stream.IntStream.range(0, tasks).boxed().toList(), tasks);
        ForwardPasses passes = new ForwardPasses(network, rows, tasks);
        slices.foreach(passes);
        List<Double> times = new ArrayList<>();
        for (int r = 0; r < turnsOf(s); r++) {
            long t0 = System.nanoTime();
            slices.foreach(passes);
            times.add((System.nanoTime() - t0) / 1e9);
        }
        return StepOverhead.median(times);
    }

    /** One task's share of the forward passes: its rows as 1,024-row chunks of random features, scored. */
    private record ForwardPasses(Network network, int rows, int tasks) implements org.apache.spark.api.java.function.VoidFunction<Integer> {
        @Override
        public void call(Integer task) {
            int n = network.topology().inputSize();
            int k = network.topology().outputSize();
            int chunk = 1024;
            double[] features = new double[n * chunk];
            java.util.SplittableRandom random = new java.util.SplittableRandom(task);
            for (int i = 0; i < features.length; i++) features[i] = random.nextDouble();
            double[] x = new double[features.length];
            double[] z = new double[k * chunk];
            double[] a = new double[k * chunk];
            int mine = rows / tasks + (task < rows % tasks ? 1 : 0);
            for (int done = 0; done < mine; done += chunk) {
                int m = Math.min(chunk, mine - done);
                System.arraycopy(features, 0, x, 0, n * m);
                network.scoreBlock(x, m, z, a);
            }
        }
    }

    /** Timed turns: --repeats, at least 3 (a median of fewer says little on a shared machine). */
    private static int turnsOf(BenchSettings s) {
        return Math.max(3, s.repeats());
    }

    /** Median seconds of each scoring, in turns after one warm-up each. */
    @SafeVarargs
    private static double[] turns(BenchSettings s, Supplier<Dataset<Row>>... scorings) {
        for (Supplier<Dataset<Row>> run : scorings) materialize(run.get());
        List<List<Double>> times = new ArrayList<>();
        for (int i = 0; i < scorings.length; i++) times.add(new ArrayList<>());
        for (int r = 0; r < turnsOf(s); r++) {
            for (int i = 0; i < scorings.length; i++) {
                System.gc();
                long t0 = System.nanoTime();
                materialize(scorings[i].get());
                times.get(i).add((System.nanoTime() - t0) / 1e9);
            }
        }
        double[] medians = new double[scorings.length];
        for (int i = 0; i < medians.length; i++) medians[i] = StepOverhead.median(times.get(i));
        return medians;
    }

    private static void materialize(Dataset<Row> scored) {
        scored.write().format("noop").mode("overwrite").save();
    }
}
