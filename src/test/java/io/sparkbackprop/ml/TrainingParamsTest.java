package io.sparkbackprop.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.SparkTestSession;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.Params;
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

/** The optimizer, schedule, regularisation and early-stopping Params of both estimators. */
class TrainingParamsTest {
    private static SparkSession spark;
    private static final String[] NEW_PARAMS = {"momentum", "nesterov", "weightDecay", "lrSchedule", "lrDecay", "lrDecayEvery", "lrMin",
        "warmupEpochs", "l2", "dropout", "clipNorm", "earlyStopping", "localSteps"};

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        spark = SparkTestSession.start("TrainingParamsTest");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void bothEstimatorsHaveEveryParamWithADefaultAndASetter() throws Exception {
        for (Params p : new Params[] {new NeuralNetRegressor(), new NeuralNetClassifier()}) {
            for (String name : NEW_PARAMS) {
                assertTrue(p.hasParam(name), p.getClass().getSimpleName() + " has " + name);
                assertTrue(p.hasDefault(p.getParam(name)), name + " has a default");
                String setter = "set" + Character.toUpperCase(name.charAt(0)) + name.substring(1);
                assertTrue(java.util.Arrays.stream(p.getClass().getMethods()).anyMatch(m -> m.getName().equals(setter)),
                        p.getClass().getSimpleName() + "." + setter);
            }
        }
        NeuralNetClassifier c = new NeuralNetClassifier().setOptimizer("adamw").setWeightDecay(0.1).setDropout(0.25).setLrSchedule("cosine")
                .setWarmupEpochs(2).setEarlyStopping(3).setNesterov(false).setMomentum(0.5).setL2(1e-4).setClipNorm(2).setLrMin(1e-5)
                .setLrDecay(0.7).setLrDecayEvery(4).setLocalSteps(4);
        c.write().overwrite().save(dir.resolve("c").toString());
        NeuralNetClassifier back = NeuralNetClassifier.load(dir.resolve("c").toString());
        assertEquals(0.25, back.getDropout());
        assertEquals("cosine", back.getLrSchedule());
        assertEquals(3, back.getEarlyStopping());
        assertEquals("adamw", back.getOptimizer());
        assertEquals(4, back.getLocalSteps());
        assertEquals(1, new NeuralNetRegressor().getLocalSteps(), "synchronous by default");
        // The message the command line shows for the same values (TrainingCommandsTest), not Spark's generic one.
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> new NeuralNetRegressor().setLocalSteps(0));
        assertTrue(zero.getMessage().contains("local steps (--local-steps, localSteps) must be at least 1 (1 = synchronous), got 0"),
                zero.getMessage());
        IllegalArgumentException dropout = assertThrows(IllegalArgumentException.class, () -> new NeuralNetRegressor().setDropout(1.0));
        assertTrue(dropout.getMessage().contains("dropout (--dropout, dropout) must be in [0, 1), got 1.0"), dropout.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new NeuralNetRegressor().setLrSchedule("linear"));
        assertThrows(IllegalArgumentException.class, () -> new NeuralNetRegressor().setOptimizer("lbfgs"));
        assertTrue(new NeuralNetRegressor().explainParams().contains("the optimizer: sgd, momentum, adam, adamw, rmsprop, adagrad"));
    }

    /** y = x0 − x1 on training rows; validation rows have the opposite sign, so fitting the training rows only hurts them. */
    private static Dataset<Row> opposed(int rows) {
        SplittableRandom rng = new SplittableRandom(3);
        List<Row> data = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            double x0 = rng.nextDouble(-1, 1);
            double x1 = rng.nextDouble(-1, 1);
            boolean validation = i % 4 == 0;
            data.add(RowFactory.create(Vectors.dense(x0, x1), (validation ? -1 : 1) * (x0 - x1), validation));
        }
        return spark.createDataFrame(data, new StructType().add("features", new VectorUDT()).add("label", DataTypes.DoubleType)
                .add("isVal", DataTypes.BooleanType)).repartition(2);
    }

    @Test
    void localStepsFitAndAFullBatchWithLocalStepsIsRefusedNamingTheParams() {
        Dataset<Row> df = opposed(200);
        NeuralNetRegressionModel m = new NeuralNetRegressor().setHiddenLayers(4).setBatchSize(20).setMaxIter(2).setLocalSteps(3).setSeed(1)
                .fit(df);
        // 200 rows in batches of 20: 10 steps an epoch, in jobs of 3, 3, 3 and 1; every step counts.
        assertEquals(2, m.summary().totalIterations());
        assertEquals(20, m.summary().totalSteps());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new NeuralNetRegressor().setBatchSize(0).setLocalSteps(2).setMaxIter(1).fit(df));
        assertTrue(e.getMessage().contains("batch size 0 (--batch-size, batchSize) makes a full batch") && e.getMessage().contains("or local steps 1"), e.getMessage());
    }

    @Test
    void earlyStoppingKeepsTheBestValidationEpochsWeights() {
        Dataset<Row> df = opposed(400);
        NeuralNetRegressor est = new NeuralNetRegressor().setHiddenLayers().setOptimizer("sgd").setStepSize(0.05).setBatchSize(0)
                .setStandardizeLabel(false).setStandardization(false).setSeed(5).setValidationIndicatorCol("isVal");
        NeuralNetRegressionModel stopped = est.copy(new org.apache.spark.ml.param.ParamMap()).setMaxIter(30).setEarlyStopping(2).fit(df);
        assertEquals(1, stopped.summary().bestEpoch());
        assertEquals(3, stopped.summary().totalIterations(), "stops after two epochs without a better validation loss");
        NeuralNetRegressionModel oneEpoch = est.copy(new org.apache.spark.ml.param.ParamMap()).setMaxIter(1).fit(df);
        assertArrayEquals(oneEpoch.weights().toArray(), stopped.weights().toArray(), 0.0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new NeuralNetRegressor().setEarlyStopping(2).setMaxIter(2).fit(df));
        assertTrue(e.getMessage().contains("(Estimators: validationIndicatorCol and rows marked true in it)"), e.getMessage());
    }

    @Test
    void aClassifierWithDropoutAndAScheduleReportsValidationAccuracy() {
        SplittableRandom rng = new SplittableRandom(4);
        List<Row> data = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            double a = rng.nextDouble(-1, 1);
            double b = rng.nextDouble(-1, 1);
            data.add(RowFactory.create(Vectors.dense(a, b), a < 0 ? 0.0 : b < 0 ? 1.0 : 2.0, i % 5 == 0));
        }
        Dataset<Row> df = spark.createDataFrame(data, new StructType().add("features", new VectorUDT()).add("label", DataTypes.DoubleType)
                .add("isVal", DataTypes.BooleanType)).repartition(2);
        NeuralNetClassificationModel m = new NeuralNetClassifier().setHiddenLayers(32).setDropout(0.1).setOptimizer("rmsprop")
                .setStepSize(0.02).setLrSchedule("step").setLrDecayEvery(4).setMaxIter(10).setBatchSize(64).setSeed(1)
                .setValidationIndicatorCol("isVal").fit(df);
        double[] acc = m.summary().testAccuracyHistory();
        assertEquals(10, acc.length);
        assertFalse(Double.isNaN(acc[9]));
        assertTrue(acc[9] > 0.9, "validation accuracy " + acc[9]);
        assertEquals(acc[9], m.evaluate(df.filter("isVal")).accuracy(), 1e-12, "the same rows scored by the model");
    }
}
