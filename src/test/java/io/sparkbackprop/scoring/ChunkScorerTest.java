package io.sparkbackprop.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.ReferenceNetwork;
import io.sparkbackprop.SparkTestSession;
import io.sparkbackprop.nn.Activation;
import io.sparkbackprop.nn.Loss;
import io.sparkbackprop.nn.Network;
import io.sparkbackprop.nn.Topology;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.SparkException;
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

/** Chunked scoring against a plain one-row-at-a-time forward pass in loops ({@link ReferenceNetwork}). */
class ChunkScorerTest {
    private static final int N = 12;
    /** Rows per partition: an empty partition and a single-row one among them. */
    private static final int[] ROWS = {0, 1, 20, 16};
    private static SparkSession spark;
    private static JavaSparkContext sc;
    private static final StructType SCHEMA = new StructType().add("id", DataTypes.IntegerType).add("features", new VectorUDT());
    private static final StructType SCORED = SCHEMA.add("z", new VectorUDT()).add("a", new VectorUDT());

    @BeforeAll
    static void start() {
        spark = SparkTestSession.start("ChunkScorerTest");
        sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** Row i's features: every third row sparse (a third of its values set), the others dense. */
    static Vector features(int i) {
        SplittableRandom rng = new SplittableRandom(1000 + i);
        if (i % 3 == 0) {
            int[] idx = {1, 4, 5, 9};
            double[] v = new double[idx.length];
            for (int j = 0; j < v.length; j++) v[j] = rng.nextDouble(-2, 2);
            return Vectors.sparse(N, idx, v);
        }
        double[] v = new double[N];
        for (int j = 0; j < N; j++) v[j] = rng.nextDouble(-2, 2);
        return Vectors.dense(v);
    }

    private static Dataset<Row> rows() {
        JavaRDD<Row> rdd = sc.parallelize(Arrays.asList(0, 1, 2, 3), 4).mapPartitionsWithIndex((p, it) -> {
            int first = 0;
            for (int q = 0; q < p; q++) first += ROWS[q];
            List<Row> out = new ArrayList<>();
            for (int i = first; i < first + ROWS[p]; i++) out.add(RowFactory.create(i, features(i)));
            return out.iterator();
        }, true);
        return spark.createDataFrame(rdd, SCHEMA);
    }

    private static ReferenceNetwork reference() {
        ReferenceNetwork r = new ReferenceNetwork(new int[] {N, 16, 5}, new String[] {"tanh", "softmax"}, "cross-entropy");
        SplittableRandom rng = new SplittableRandom(7);
        double[] flat = r.flat();
        for (int i = 0; i < flat.length; i++) flat[i] = rng.nextDouble(-0.6, 0.6);
        r.setFlat(flat);
        return r;
    }

    private static Dataset<Row> scored(Network net, int chunkRows) {
        ChunkScorer.Outputs outputs = (chunk, j, values, from) -> {
            int k = chunk.width();
            values[from] = Vectors.dense(Arrays.copyOfRange(chunk.z(), j * k, j * k + k));
            values[from + 1] = Vectors.dense(Arrays.copyOfRange(chunk.a(), j * k, j * k + k));
        };
        return ChunkScorer.score(rows(), SCORED, new VectorColumn("features", 1, N), net, chunkRows, true, true, outputs);
    }

    @Test
    void everyChunkSizeGivesTheOneRowForwardPassOfEveryRowDenseOrSparse() {
        ReferenceNetwork ref = reference();
        Topology t = Topology.input(N).layer(16, Activation.TANH).output(5, Loss.CROSS_ENTROPY);
        Network net = new Network(t, ref.flat());
        int total = Arrays.stream(ROWS).sum();
        for (int chunkRows : new int[] {1, 3, 7, 1024}) {
            List<Row> out = scored(net, chunkRows).collectAsList();
            assertEquals(total, out.size(), "rows at chunk " + chunkRows);
            for (Row r : out) {
                int i = r.getInt(0);
                assertEquals(features(i), r.get(1), "the row's own columns pass through");
                double[] x = features(i).toArray();
                assertClose(ref.logits(x), ((Vector) r.get(2)).toArray(), "z of row " + i + " at chunk " + chunkRows);
                assertClose(ref.predict(x), ((Vector) r.get(3)).toArray(), "outputs of row " + i + " at chunk " + chunkRows);
            }
        }
    }

    private static void assertClose(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) assertEquals(expected[i], actual[i], 1e-12 * Math.max(1, Math.abs(expected[i])), what + " [" + i + "]");
    }

    @Test
    void aNullOrAMisSizedFeaturesVectorNamesTheColumnAndTheRow() {
        Network net = new Network(Topology.input(N).layer(4, Activation.RELU).output(1, Loss.MSE), new double[(N + 1) * 4 + 5]);
        StructType schema = new StructType().add("id", DataTypes.IntegerType).add("features", new VectorUDT(), true);
        StructType out = schema.add("a", DataTypes.DoubleType);
        ChunkScorer.Outputs outputs = (chunk, j, values, from) -> values[from] = chunk.a()[j];
        for (Vector bad : new Vector[] {null, Vectors.dense(1, 2, 3)}) {
            Dataset<Row> df = spark.createDataFrame(List.of(RowFactory.create(0, features(1)), RowFactory.create(1, bad)), schema).coalesce(1);
            SparkException e = assertThrows(SparkException.class,
                    () -> ChunkScorer.score(df, out, new VectorColumn("features", 1, N), net, 8, false, true, outputs).collectAsList());
            String message = messages(e);
            assertTrue(message.contains("row 1 of its partition") && message.contains("'features'"), message);
            assertTrue(bad == null ? message.contains("null") : message.contains("has 3 values") && message.contains("fitted on 12"), message);
        }
    }

    /** The messages of the exception and its causes: Spark reports a task's error inside a job's. */
    private static String messages(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) sb.append(c.getMessage()).append(" | ");
        return sb.toString();
    }
}
