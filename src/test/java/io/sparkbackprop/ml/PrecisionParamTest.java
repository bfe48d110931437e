package io.sparkbackprop.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.SparkTestSession;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
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
import org.junit.jupiter.api.io.TempDir;

/** The estimators' precision Param: validated, persisted, and a float fit lands beside the double one. */
class PrecisionParamTest {
    private static SparkSession spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        spark = SparkTestSession.start("PrecisionParamTest");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void aBadValueNamesTheParamAndTheValidValues() {
        assertEquals("double", new NeuralNetRegressor().getPrecision());
        for (NeuralNetParams p : new NeuralNetParams[] {new NeuralNetRegressor(), new NeuralNetClassifier()}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> {
                if (p instanceof NeuralNetRegressor r) r.setPrecision("half");
                else ((NeuralNetClassifier) p).setPrecision("half");
            });
            assertTrue(e.getMessage().contains("precision") && e.getMessage().contains("double, float")
                    && e.getMessage().contains("'half'"), e.getMessage());
            // Set generically, Spark's own validator still refuses it.
            assertThrows(IllegalArgumentException.class, () -> p.set(p.precision(), "FLOAT"));
        }
        assertTrue(new NeuralNetClassifier().explainParams().contains("precision: arithmetic of the training tasks' matrix products: double, float"));
    }

    @Test
    void itIsSavedWithTheEstimatorAndAFloatFitMatchesTheDoubleFit() throws Exception {
        NeuralNetClassifier est = new NeuralNetClassifier().setPrecision("float");
        est.write().overwrite().save(dir.resolve("c").toString());
        assertEquals("float", NeuralNetClassifier.load(dir.resolve("c").toString()).getPrecision());
        NeuralNetRegressor reg = new NeuralNetRegressor().setPrecision("float");
        reg.write().overwrite().save(dir.resolve("r").toString());
        assertEquals("float", NeuralNetRegressor.load(dir.resolve("r").toString()).getPrecision());

        SplittableRandom rng = new SplittableRandom(4);
        List<Row> data = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            double a = rng.nextDouble(-1, 1);
            double b = rng.nextDouble(-1, 1);
            data.add(RowFactory.create(Vectors.dense(a, b), a < 0 ? 0.0 : b < 0 ? 1.0 : 2.0));
        }
        Dataset<Row> df = spark.createDataFrame(data, new StructType().add("features", new VectorUDT()).add("label", DataTypes.DoubleType))
                .repartition(2).cache();
        NeuralNetClassifier base = new NeuralNetClassifier().setHiddenLayers(16).setMaxIter(5).setBatchSize(100).setSeed(2).setStepSize(0.01);
        NeuralNetClassificationModel inDouble = base.fit(df);
        NeuralNetClassificationModel inFloat = base.copy(new org.apache.spark.ml.param.ParamMap()).setPrecision("float").fit(df);
        double[] d = inDouble.weights().toArray();
        double[] f = inFloat.weights().toArray();
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < d.length; i++) {
            diff += (d[i] - f[i]) * (d[i] - f[i]);
            norm += d[i] * d[i];
        }
        double distance = Math.sqrt(diff / norm);
        assertTrue(distance > 0 && distance < 1e-6, "float fit's weights are " + distance + " of the norm from the double fit's");
    }
}
