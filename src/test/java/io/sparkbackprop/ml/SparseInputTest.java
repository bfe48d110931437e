package io.sparkbackprop.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.SparkTestSession;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
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
 * Sparse vectors through the Estimators: stored as compressed rows, the model learned is the one the same rows stored
 * dense give (the dense path is the one checked against the reference network elsewhere), for SGD and Adam,
 * synchronous and local steps, lazy and exact updates; scoring sparse rows gives what scoring them dense gives.
 */
class SparseInputTest {
    private static SparkSession spark;
    private static final int FEATURES = 60;

    @BeforeAll
    static void start() {
        spark = SparkTestSession.start("SparseInputTest");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /**
     * Rows of 2–5 nonzeros among 60 features (density ~0.06, sparse input), in 2 partitions; label 1 when the weighted
     * sum of the row's features is positive. Features 50–59 never occur, so their first-layer columns are never touched.
     */
    private static Dataset<Row> rows(int n, long seed, boolean dense) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Row> data = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            TreeMap<Integer, Double> nz = new TreeMap<>();
            int k = 2 + rng.nextInt(4);
            while (nz.size() < k) nz.put(rng.nextInt(50), 0.5 + rng.nextDouble() * 2);
            double score = 0;
            for (var e : nz.entrySet()) score += (e.getKey() % 3 == 0 ? 1 : -0.6) * e.getValue();
            int[] idx = nz.keySet().stream().mapToInt(Integer::intValue).toArray();
            double[] val = nz.values().stream().mapToDouble(Double::doubleValue).toArray();
            Vector v = Vectors.sparse(FEATURES, idx, val);
            data.add(RowFactory.create(dense ? v.toDense() : v, score > 0 ? 1.0 : 0.0, 0.5 + (i % 3) * 0.5, i));
        }
        StructType schema = new StructType().add("features", SQLDataTypes.VectorType()).add("label", DataTypes.DoubleType)
                .add("w", DataTypes.DoubleType).add("id", DataTypes.IntegerType);
        return spark.createDataFrame(data, schema).repartition(2).sortWithinPartitions("label");
    }

    private static NeuralNetClassifier classifier(String optimizer, int localSteps, String updates, String storage) {
        NeuralNetClassifier c = new NeuralNetClassifier().setHiddenLayers(new int[] {8}).setSeed(7L).setMaxIter(4)
                .setBatchSize(64).setOptimizer(optimizer);
        c.set(c.localSteps(), localSteps);
        c.set(c.sparseUpdates(), updates);
        c.set(c.featureStorage(), storage);
        return c;
    }

    private static double[] weights(NeuralNetClassifier c, Dataset<Row> data) {
        return c.fit(data).network().weights();
    }

    private static void assertClose(double[] expected, double[] actual, double tol, String what) {
        assertEquals(expected.length, actual.length, what);
        double worst = 0;
        for (int i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        assertTrue(worst <= tol, what + ": largest difference " + worst);
    }

    @Test
    void sparseStorageLearnsTheWeightsDenseStorageLearns() {
        Dataset<Row> data = rows(500, 1, false).cache();
        for (String optimizer : List.of("sgd", "adam")) {
            for (int localSteps : new int[] {1, 3}) {
                for (String updates : List.of("lazy", "exact")) {
                    double[] sparse = weights(classifier(optimizer, localSteps, updates, "sparse"), data);
                    double[] dense = weights(classifier(optimizer, localSteps, updates, "dense"), data);
                    assertClose(dense, sparse, 1e-12, optimizer + ", local steps " + localSteps + ", " + updates);
                }
            }
        }
        data.unpersist();
    }

    @Test
    void rowWeightsDropoutAndFloatAgreeBetweenStorages() {
        Dataset<Row> data = rows(400, 2, false).cache();
        NeuralNetClassifier sparse = classifier("adam", 1, "lazy", "sparse").setWeightCol("w");
        NeuralNetClassifier dense = classifier("adam", 1, "lazy", "dense").setWeightCol("w");
        sparse.set(sparse.dropout(), 0.3);
        dense.set(dense.dropout(), 0.3);
        assertClose(weights(dense, data), weights(sparse, data), 1e-12, "row weights and dropout");
        sparse.set(sparse.precision(), "float");
        dense.set(dense.precision(), "float");
        // Float products sum in another order over the nonzeros than sgemm over every value: float rounding apart.
        assertClose(weights(dense, data), weights(sparse, data), 1e-5, "float");
        data.unpersist();
    }

    /** SGD without L2 changes only the columns a step touches anyway: lazy and exact are the same update. */
    @Test
    void lazySgdIsTheExactUpdateAndLazyAdamLeavesUntouchedColumnsAlone() {
        Dataset<Row> data = rows(500, 3, false).cache();
        assertClose(weights(classifier("sgd", 1, "exact", "sparse"), data), weights(classifier("sgd", 1, "lazy", "sparse"), data),
                1e-12, "sgd lazy vs exact");
        // A full batch touches the same columns every step: lazy Adam is exact Adam there.
        NeuralNetClassifier lazyFull = classifier("adam", 1, "lazy", "sparse").setBatchSize(0);
        NeuralNetClassifier exactFull = classifier("adam", 1, "exact", "sparse").setBatchSize(0);
        assertClose(weights(exactFull, data), weights(lazyFull, data), 1e-12, "adam full batch lazy vs exact");
        // Mini-batches touch different columns: exact Adam keeps moving a column its moments remember, lazy Adam does not.
        double[] lazy = weights(classifier("adam", 1, "lazy", "sparse"), data);
        double[] exact = weights(classifier("adam", 1, "exact", "sparse"), data);
        double largest = 0;
        for (int i = 0; i < lazy.length; i++) largest = Math.max(largest, Math.abs(lazy[i] - exact[i]));
        assertTrue(largest > 1e-6, "lazy and exact Adam should differ on mini-batches, largest difference " + largest);
        // Features 50-59 never occur: their columns keep the seed's initial weights under both.
        io.sparkbackprop.nn.Topology t = classifier("adam", 1, "lazy", "sparse").setMaxIter(1).fit(data).network().topology();
        double[] start = io.sparkbackprop.nn.Initializer.defaultFor(t).initialize(t, 7L);
        for (int c = 50; c < FEATURES; c++) {
            for (int i = 0; i < 8; i++) {
                assertEquals(start[c * 8 + i], lazy[c * 8 + i], 0.0, "untouched column " + c);
                assertEquals(start[c * 8 + i], exact[c * 8 + i], 0.0, "untouched column " + c);
            }
        }
        data.unpersist();
    }

    /** A lazy sparse run stopped after epoch 2 and resumed from its checkpoint ends where the uninterrupted run does. */
    @Test
    void aLazySparseRunResumesFromItsCheckpointToTheSameWeights(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        Dataset<Row> data = rows(400, 5, false).cache();
        double[] straight = weights(classifier("adam", 1, "lazy", "sparse"), data);
        String checkpoints = dir.resolve("checkpoints").toString();
        NeuralNetClassifier first = classifier("adam", 1, "lazy", "sparse").setMaxIter(2);
        first.set(first.checkpointDir(), checkpoints);
        first.set(first.checkpointInterval(), 1);
        weights(first, data);
        NeuralNetClassifier resumed = classifier("adam", 1, "lazy", "sparse");
        resumed.set(resumed.checkpointDir(), checkpoints);
        resumed.set(resumed.checkpointInterval(), 1);
        assertClose(straight, weights(resumed, data), 0.0, "resumed after epoch 2");
        data.unpersist();
    }

    @Test
    void scoringSparseRowsMatchesScoringThemDense() {
        Dataset<Row> sparseRows = rows(300, 4, false);
        Dataset<Row> denseRows = rows(300, 4, true);
        NeuralNetClassificationModel model = classifier("adam", 1, "lazy", "auto").fit(sparseRows);
        List<Row> fromSparse = model.transform(sparseRows).orderBy("id").select("rawPrediction", "probability", "prediction").collectAsList();
        List<Row> fromDense = model.transform(denseRows).orderBy("id").select("rawPrediction", "probability", "prediction").collectAsList();
        assertEquals(fromDense.size(), fromSparse.size());
        for (int i = 0; i < fromDense.size(); i++) {
            for (int c = 0; c < 2; c++) {
                assertArrayEquals(((Vector) fromDense.get(i).get(c)).toArray(), ((Vector) fromSparse.get(i).get(c)).toArray(), 1e-12);
            }
            assertEquals(fromDense.get(i).getDouble(2), fromSparse.get(i).getDouble(2));
        }
        // One row at a time (predictRaw, Spark's row-by-row path), the sparse vector read as it is.
        List<Row> vectors = sparseRows.orderBy("id").select("features").collectAsList();
        for (int i = 0; i < 20; i++) {
            Vector v = (Vector) vectors.get(i).get(0);
            assertTrue(v instanceof org.apache.spark.ml.linalg.SparseVector);
            assertArrayEquals(((Vector) fromDense.get(i).get(0)).toArray(), model.predictRaw(v).toArray(), 1e-12, "row " + i);
        }
        // Sparse input is not standardized (standardization on, the default): the model carries no scaling.
        assertEquals(null, model.network().scaling());
    }

    @Test
    void aSparseVectorOfAnotherSizeIsRefusedByColumnAndSize() {
        List<Row> data = List.of(RowFactory.create(Vectors.sparse(FEATURES, new int[] {1}, new double[] {1}), 1.0),
                RowFactory.create(Vectors.sparse(FEATURES + 5, new int[] {2}, new double[] {1}), 0.0));
        StructType schema = new StructType().add("features", SQLDataTypes.VectorType()).add("label", DataTypes.DoubleType);
        Dataset<Row> df = spark.createDataFrame(data, schema);
        NeuralNetClassifier c = new NeuralNetClassifier().setHiddenLayers(new int[] {4}).setMaxIter(1);
        c.set(c.featureStorage(), "sparse");
        Exception e = assertThrows(Exception.class, () -> c.fit(df));
        String message = String.valueOf(rootCause(e).getMessage());
        assertTrue(message.contains("features") && message.contains(String.valueOf(FEATURES + 5)), message);
    }

    private static Throwable rootCause(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t;
    }
}
