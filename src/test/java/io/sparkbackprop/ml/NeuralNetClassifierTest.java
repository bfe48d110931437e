package io.sparkbackprop.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.SparkTestSession;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.ml.tuning.TrainValidationSplit;
import org.apache.spark.ml.tuning.TrainValidationSplitModel;
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

class NeuralNetClassifierTest {
    private static SparkSession spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        spark = SparkTestSession.start("NeuralNetClassifierTest");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** Points in [-1,1]²: label 1 inside the circle of radius 0.6 (not linearly separable), or 3 sign classes. */
    private static Dataset<Row> points(int rows, long seed, boolean threeClasses) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Row> data = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            double a = rng.nextDouble(-1, 1);
            double b = rng.nextDouble(-1, 1);
            double label = threeClasses ? (a < 0 ? 0 : b < 0 ? 1 : 2) : (a * a + b * b < 0.36 ? 1 : 0);
            data.add(RowFactory.create(Vectors.dense(a, b), label));
        }
        return spark.createDataFrame(data, new StructType().add("features", new VectorUDT()).add("label", DataTypes.DoubleType))
                .repartition(2).cache();
    }

    private static NeuralNetClassifier small() {
        return new NeuralNetClassifier().setHiddenLayers(16).setStepSize(0.01).setBatchSize(64).setMaxIter(30).setSeed(3);
    }

    @Test
    void binaryModelLearnsACircleThatLogisticRegressionCannot() {
        Dataset<Row> train = points(2000, 1, false);
        Dataset<Row> test = points(500, 2, false);
        NeuralNetClassificationModel model = small().fit(train);
        assertEquals(2, model.numClasses());
        Dataset<Row> scored = model.transform(test);
        BinaryClassificationEvaluator auc = new BinaryClassificationEvaluator();
        double ours = auc.evaluate(scored);
        double logistic = auc.evaluate(new LogisticRegression().fit(train).transform(test));
        System.out.printf("circle AUC: NeuralNetClassifier %.3f, LogisticRegression %.3f%n", ours, logistic);
        assertTrue(ours > 0.98, "AUC " + ours);
        assertTrue(ours > logistic + 0.2, "AUC " + ours + " vs logistic " + logistic);
        // Columns are consistent: probability = σ(raw[1]), prediction = argmax probability.
        for (Row r : scored.select("rawPrediction", "probability", "prediction").collectAsList()) {
            Vector raw = r.getAs(0);
            Vector p = r.getAs(1);
            assertEquals(-raw.apply(0), raw.apply(1), 0.0);
            assertEquals(1 / (1 + Math.exp(-raw.apply(1))), p.apply(1), 1e-12);
            assertEquals(1.0, p.apply(0) + p.apply(1), 1e-12);
            assertEquals(p.apply(1) > 0.5 ? 1.0 : 0.0, r.getDouble(2));
        }
        // Thresholds move the decision as in Spark: a high threshold for class 1 predicts fewer ones.
        long ones = scored.filter("prediction = 1").count();
        long strictOnes = model.copy(ParamMap.empty()).setThresholds(new double[] {0.05, 0.95}).transform(test)
                .filter("prediction = 1").count();
        assertTrue(strictOnes < ones, strictOnes + " vs " + ones);
        NeuralNetClassificationEvaluation e = model.evaluate(test);
        assertTrue(e.accuracy() > 0.93 && e.logLoss() < 0.3, e.toString());
    }

    @Test
    void multiclassModelUsesSoftmaxAndSavesInAPipeline() throws Exception {
        Dataset<Row> train = points(1500, 3, true);
        Dataset<Row> test = points(400, 4, true);
        PipelineModel pipeline = new Pipeline().setStages(new PipelineStage[] {small()}).fit(train);
        NeuralNetClassificationModel model = (NeuralNetClassificationModel) pipeline.stages()[0];
        assertEquals(3, model.numClasses());
        assertArrayEquals(new int[] {2, 16, 3}, model.layers());
        assertTrue(model.evaluate(test).accuracy() > 0.95, model.evaluate(test).toString());
        Row r = pipeline.transform(test).select("rawPrediction", "probability").first();
        Vector raw = r.getAs(0);
        Vector p = r.getAs(1);
        double sum = 0;
        for (int i = 0; i < 3; i++) sum += Math.exp(raw.apply(i));
        for (int i = 0; i < 3; i++) assertEquals(Math.exp(raw.apply(i)) / sum, p.apply(i), 1e-12);

        pipeline.write().overwrite().save(dir.resolve("p").toString());
        PipelineModel loaded = PipelineModel.load(dir.resolve("p").toString());
        assertEquals(pipeline.transform(test).select("probability").collectAsList(),
                loaded.transform(test).select("probability").collectAsList());
        NeuralNetClassifier est = small();
        est.write().overwrite().save(dir.resolve("e").toString());
        assertEquals(est.getStepSize(), NeuralNetClassifier.load(dir.resolve("e").toString()).getStepSize());
    }

    @Test
    void labelsThatAreNotClassIndicesAreRefused() {
        StructType schema = new StructType().add("features", new VectorUDT()).add("label", DataTypes.DoubleType);
        Dataset<Row> fractional = spark.createDataFrame(List.of(RowFactory.create(Vectors.dense(1, 2), 0.0),
                RowFactory.create(Vectors.dense(1, 3), 1.5)), schema);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> small().fit(fractional));
        assertTrue(e.getMessage().contains("not class indices, e.g. 1.5"), e.getMessage());
        Dataset<Row> negative = spark.createDataFrame(List.of(RowFactory.create(Vectors.dense(1, 2), -1.0),
                RowFactory.create(Vectors.dense(1, 3), 1.0)), schema);
        e = assertThrows(IllegalArgumentException.class, () -> small().fit(negative));
        assertTrue(e.getMessage().contains("negative label -1.0"), e.getMessage());
    }

    @Test
    void crossValidatorAndTrainValidationSplitPickAModel() {
        Dataset<Row> data = points(600, 5, true);
        NeuralNetRegressor est = new NeuralNetRegressor().setMaxIter(5).setBatchSize(64).setSeed(1);
        ParamMap[] grid = new ParamGridBuilder()
                .addGrid(est.stepSize(), new double[] {1e-4, 1e-2})
                .addGrid(est.hiddenLayers(), scala.jdk.javaapi.CollectionConverters.asScala(List.of(new int[] {4}, new int[] {16, 16})))
                .build();
        RegressionEvaluator rmse = new RegressionEvaluator();
        CrossValidatorModel cv = new CrossValidator().setEstimator(est).setEstimatorParamMaps(grid).setEvaluator(rmse)
                .setNumFolds(2).setSeed(7).fit(data);
        double[] metrics = cv.avgMetrics();
        assertEquals(4, metrics.length);
        int best = 0;
        for (int i = 1; i < metrics.length; i++) if (metrics[i] < metrics[best]) best = i;
        NeuralNetRegressionModel chosen = (NeuralNetRegressionModel) cv.bestModel();
        assertEquals(grid[best].apply(est.stepSize()), chosen.getStepSize());
        assertArrayEquals((int[]) grid[best].apply(est.hiddenLayers()), chosen.getHiddenLayers());
        assertEquals(1e-2, chosen.getStepSize(), "the larger step size learns more in 5 epochs");

        TrainValidationSplitModel tvs = new TrainValidationSplit().setEstimator(est).setEstimatorParamMaps(grid)
                .setEvaluator(rmse).setTrainRatio(0.75).setSeed(7).fit(data);
        assertEquals(4, tvs.validationMetrics().length);
    }
}
