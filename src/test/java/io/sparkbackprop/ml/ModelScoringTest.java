package io.sparkbackprop.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.sparkbackprop.SparkTestSession;
import io.sparkbackprop.nn.Activation;
import io.sparkbackprop.nn.Initializer;
import io.sparkbackprop.nn.Loss;
import io.sparkbackprop.nn.Network;
import io.sparkbackprop.nn.Scaling;
import io.sparkbackprop.nn.Topology;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The models' chunked transform against Spark's own row-by-row transform of the same model (a UDF per column over
 * predictRaw / predict): the same columns, the same values to 1e-12, on dense and sparse rows, with an empty and a
 * single-row partition.
 */
class ModelScoringTest {
    private static final int N = 9;
    private static final int[] ROWS = {0, 1, 1500, 700};
    private static SparkSession spark;
    private static JavaSparkContext sc;
    private static Dataset<Row> rows;

    @BeforeAll
    static void start() {
        spark = SparkTestSession.start("ModelScoringTest");
        sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        // The features carry ML attributes, as VectorAssembler's output does: scoring must pass them on.
        StructType schema = new StructType().add("id", DataTypes.IntegerType).add(new org.apache.spark.sql.types.StructField("features",
                new VectorUDT(), false, new org.apache.spark.ml.attribute.AttributeGroup("features", N).toMetadata()));
        JavaRDD<Row> rdd = sc.parallelize(Arrays.asList(0, 1, 2, 3), 4).mapPartitionsWithIndex((p, it) -> {
            int first = 0;
            for (int q = 0; q < p; q++) first += ROWS[q];
            List<Row> out = new ArrayList<>();
            for (int i = first; i < first + ROWS[p]; i++) {
                SplittableRandom rng = new SplittableRandom(i);
                double[] v = new double[N];
                for (int j = 0; j < N; j++) v[j] = rng.nextDouble() < 0.4 ? 0 : rng.nextDouble(-3, 3);
                // Every other row sparse, as HashingTF or OneHotEncoder would leave it.
                out.add(RowFactory.create(i, i % 2 == 0 ? Vectors.dense(v).toSparse() : Vectors.dense(v)));
            }
            return out.iterator();
        }, true);
        rows = spark.createDataFrame(rdd, schema).cache();
        rows.count();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static Network network(Topology t, long seed, Scaling scaling) {
        return new Network(t, Initializer.XAVIER.initialize(t, seed), scaling);
    }

    /** Rows by id, for comparing two scorings whatever order their rows come in. */
    private static Row[] byId(Dataset<Row> scored) {
        Row[] out = new Row[Arrays.stream(ROWS).sum()];
        for (Row r : scored.collectAsList()) out[r.getInt(0)] = r;
        return out;
    }

    private static void assertSameScores(Dataset<Row> expected, Dataset<Row> actual) {
        assertEquals(Arrays.asList(expected.columns()), Arrays.asList(actual.columns()));
        for (String c : expected.columns()) {
            assertEquals(expected.schema().apply(c).metadata(), actual.schema().apply(c).metadata(), "metadata of column " + c);
        }
        Row[] e = byId(expected);
        Row[] a = byId(actual);
        for (int i = 0; i < e.length; i++) {
            for (int c = 2; c < e[i].size(); c++) {
                Object x = e[i].get(c);
                Object y = a[i].get(c);
                String what = "row " + i + ", column " + expected.columns()[c];
                if (x instanceof Vector v) {
                    double[] ev = v.toArray();
                    double[] av = ((Vector) y).toArray();
                    assertEquals(ev.length, av.length, what);
                    for (int j = 0; j < ev.length; j++) assertEquals(ev[j], av[j], 1e-12 * Math.max(1, Math.abs(ev[j])), what);
                } else {
                    assertEquals((Double) x, (Double) y, 1e-12 * Math.max(1, Math.abs((Double) x)), what);
                }
            }
        }
    }

    @Test
    void aMulticlassModelScoresLikeSparksRowByRowTransformWhateverColumnsAreAskedFor() {
        Topology t = Topology.input(N).layer(12, Activation.RELU).layer(7, Activation.SIGMOID).output(4, Loss.CROSS_ENTROPY);
        NeuralNetClassificationModel m = NeuralNetClassificationModel.fromNetwork(network(t, 3, null));
        assertSameScores(m.transformRowByRow(rows), m.transform(rows));
        // Some columns off: prediction then comes from rawPrediction, or from the features alone.
        m.setProbabilityCol("");
        assertSameScores(m.transformRowByRow(rows), m.transform(rows));
        assertFalse(Arrays.asList(m.transform(rows).columns()).contains("probability"));
        m.setRawPredictionCol("");
        assertSameScores(m.transformRowByRow(rows), m.transform(rows));
        m.setPredictionCol("").setProbabilityCol("probability");
        assertSameScores(m.transformRowByRow(rows), m.transform(rows));
        // Thresholds change the prediction by Spark's rule, with and without the probability column.
        m.setPredictionCol("prediction").setRawPredictionCol("rawPrediction").setThresholds(new double[] {0.1, 0.9, 0.5, 0.3});
        assertSameScores(m.transformRowByRow(rows), m.transform(rows));
        m.setProbabilityCol("");
        assertSameScores(m.transformRowByRow(rows), m.transform(rows));
    }

    @Test
    void aBinaryModelScoresLikeSparksRowByRowTransform() {
        Topology t = Topology.input(N).layer(6, Activation.TANH).output(1, Loss.BCE);
        NeuralNetClassificationModel m = NeuralNetClassificationModel.fromNetwork(network(t, 5, null));
        assertSameScores(m.transformRowByRow(rows), m.transform(rows));
        m.setThresholds(new double[] {0.3, 0.7});
        assertSameScores(m.transformRowByRow(rows), m.transform(rows));
    }

    @Test
    void regressionModelsScoreLikeTheRowByRowPathInLabelUnits() {
        double[] mean = new double[N];
        double[] std = new double[N];
        Arrays.fill(mean, 0.5);
        Arrays.fill(std, 2.0);
        Scaling scaling = new Scaling(mean, std, new double[] {100, -3}, new double[] {15, 0.5});
        Topology two = Topology.input(N).layer(8, Activation.TANH).output(2, Loss.MSE);
        NeuralNetRegressionModel vector = NeuralNetRegressionModel.fromNetwork(network(two, 7, scaling));
        assertSameScores(vector.transformRowByRow(rows), vector.transform(rows));
        Topology one = Topology.input(N).layer(8, Activation.RELU).output(1, Loss.MSE);
        NeuralNetRegressionModel single = NeuralNetRegressionModel.fromNetwork(network(one, 8,
                new Scaling(mean, std, new double[] {100}, new double[] {15})));
        Dataset<Row> scored = single.transform(rows);
        assertSameScores(single.transformRowByRow(rows), scored);
        assertEquals(DataTypes.DoubleType, scored.schema().apply("prediction").dataType());
        IllegalArgumentException taken = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> single.transform(scored));
        assertEquals(true, taken.getMessage().contains("already has a column 'prediction'"), taken.getMessage());
        // The first row of the single-row partition against the model's own one-row prediction.
        Row r = scored.filter("id = 0").first();
        assertArrayEquals(new double[] {single.predict(r.getAs(1))}, new double[] {r.getDouble(2)}, 1e-12);
    }
}
