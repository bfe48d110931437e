package io.sparkbackprop.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.SparkTestSession;
import io.sparkbackprop.io.ModelJson;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
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

class NeuralNetRegressorTest {
    private static SparkSession spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        spark = SparkTestSession.start("NeuralNetRegressorTest");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** y = 3000·x0 − 2000·x1 + 50000 (+ a second output 10·x0 for vector labels); x uniform on [0,1). */
    private static Dataset<Row> linear(int rows, long seed, boolean vectorLabel, boolean withValidation) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Row> data = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            double x0 = rng.nextDouble();
            double x1 = rng.nextDouble();
            double y = 3000 * x0 - 2000 * x1 + 50_000;
            Object label = vectorLabel ? Vectors.dense(y, 10 * x0) : (Object) y;
            data.add(RowFactory.create(Vectors.dense(x0, x1), label, 1.0 + (i % 2), i % 5 == 0 && withValidation));
        }
        StructType schema = new StructType().add("features", new VectorUDT())
                .add("label", vectorLabel ? new VectorUDT() : DataTypes.DoubleType).add("w", DataTypes.DoubleType)
                .add("isVal", DataTypes.BooleanType);
        return spark.createDataFrame(data, schema).repartition(2);
    }

    private static NeuralNetRegressor linearModel() {
        return new NeuralNetRegressor().setHiddenLayers().setMaxIter(40).setBatchSize(64).setStepSize(0.05).setSeed(1);
    }

    @Test
    void learnsALinearFunctionOfLargeLabelsWithoutRescalingThem() {
        Dataset<Row> df = linear(800, 1, false, false);
        NeuralNetRegressionModel model = linearModel().fit(df);
        // The exact answer of the data-generating line, checked at two points.
        assertEquals(50_000 + 3000 * 0.5 - 2000 * 0.25, model.predict(Vectors.dense(0.5, 0.25)), 5.0);
        assertEquals(50_000 + 3000 * 0.9 - 2000 * 0.1, model.predict(Vectors.dense(0.9, 0.1)), 5.0);
        assertTrue(model.evaluate(df).rmse() < 5, "rmse " + model.evaluate(df).rmse());
        assertEquals(2, model.numFeatures());
        assertArrayEquals(new int[] {2, 1}, model.layers());
        assertEquals(3, model.weights().size());
        assertTrue(model.hasSummary());
        assertEquals(40, model.summary().totalIterations());
        double[] loss = model.summary().trainLossHistory();
        assertTrue(loss[loss.length - 1] < loss[0] / 100, "train loss fell: " + java.util.Arrays.toString(loss));
    }

    @Test
    void anUncachedInputIsComputedOnceAndACallersCacheIsLeftInPlace() {
        Dataset<Row> rows = linear(600, 9, false, false);
        StructType schema = rows.schema();
        List<Row> collected = rows.collectAsList();
        // A source that counts every row it computes: each pass over an uncached input would count them all again.
        org.apache.spark.util.LongAccumulator computed = spark.sparkContext().longAccumulator("rows computed");
        org.apache.spark.api.java.JavaRDD<Row> counting = org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext())
                .parallelize(collected, 2).map(r -> {
                    computed.add(1);
                    return r;
                });
        Dataset<Row> uncached = spark.createDataFrame(counting, schema);
        spark.catalog().clearCache();
        // Sizes from the data, standardized features and labels: three passes before training, without the fit's cache.
        linearModel().setMaxIter(2).setWeightCol("w").fit(uncached);
        assertEquals(600, computed.value(), "rows computed by the fit");
        assertTrue(spark.sharedState().cacheManager().isEmpty(), "the fit's own cache is dropped");

        Dataset<Row> cachedByCaller = spark.createDataFrame(counting, schema).cache();
        cachedByCaller.count();
        long before = computed.value();
        linearModel().setMaxIter(2).fit(cachedByCaller);
        assertEquals(before, computed.value(), "the caller's cache serves the fit");
        assertEquals(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK(), cachedByCaller.storageLevel(), "and stays");
        cachedByCaller.unpersist();
    }

    @Test
    void vectorLabelsGiveVectorPredictions() {
        Dataset<Row> df = linear(800, 2, true, false);
        NeuralNetRegressionModel model = linearModel().fit(df);
        Row first = model.transform(df).select("features", "prediction").first();
        Vector x = first.getAs(0);
        Vector p = first.getAs(1);
        assertEquals(2, p.size());
        assertEquals(3000 * x.apply(0) - 2000 * x.apply(1) + 50_000, p.apply(0), 10.0);
        assertEquals(10 * x.apply(0), p.apply(1), 0.05);
    }

    @Test
    void validationRowsAreHeldOutAndTheirLossIsReportedPerEpoch() {
        Dataset<Row> df = linear(600, 3, false, true);
        NeuralNetRegressionModel model = linearModel().setStandardizeLabel(false).setStandardization(false)
                .setStepSize(0.1).setMaxIter(5).setValidationIndicatorCol("isVal").fit(df);
        double[] validation = model.summary().testLossHistory();
        assertEquals(5, validation.length);
        // The last epoch's validation loss is the MSE of the final model on the held-out rows.
        Dataset<Row> held = df.filter("isVal");
        double mse = 0;
        List<Row> rows = model.transform(held).select("label", "prediction").collectAsList();
        for (Row r : rows) mse += Math.pow(r.getDouble(0) - r.getDouble(1), 2);
        mse /= rows.size();
        assertEquals(mse, validation[4], 1e-9 * mse);
        assertEquals(120, rows.size());
    }

    @Test
    void weightsCountLikeRepeatedRows() {
        // Full-batch SGD: a row of weight 2 must act exactly like the row appearing twice.
        Dataset<Row> df = linear(200, 4, false, false).coalesce(1);
        Dataset<Row> repeated = df.union(df.filter("w = 2.0")).coalesce(1);
        NeuralNetRegressor est = new NeuralNetRegressor().setHiddenLayers(3).setActivation("tanh").setOptimizer("sgd")
                .setStepSize(1e-9).setBatchSize(0).setMaxIter(3).setStandardization(false).setStandardizeLabel(false).setSeed(2);
        NeuralNetRegressionModel weighted = est.copy(ParamMap.empty()).setWeightCol("w").fit(df);
        NeuralNetRegressionModel plain = est.fit(repeated);
        double[] a = weighted.weights().toArray();
        double[] b = plain.weights().toArray();
        for (int i = 0; i < a.length; i++) assertEquals(b[i], a[i], 1e-9 * Math.max(1, Math.abs(b[i])), "weight " + i);
        double[] la = weighted.summary().trainLossHistory();
        double[] lb = plain.summary().trainLossHistory();
        for (int i = 0; i < la.length; i++) assertEquals(lb[i], la[i], 1e-9 * lb[i]);
    }

    @Test
    void paramsBehaveAsInSpark() {
        NeuralNetRegressor est = new NeuralNetRegressor().setHiddenLayers(8, 4).setStepSize(0.01);
        assertArrayEquals(new int[] {8, 4}, est.getHiddenLayers());
        assertEquals("relu", est.getActivation());
        assertTrue(est.explainParams().contains("hiddenLayers: sizes of the hidden layers"), est.explainParams());
        assertTrue(est.explainParams().contains("standardizeLabel"));
        NeuralNetRegressor copy = est.copy(new ParamMap().put(est.stepSize().w(0.5)));
        assertEquals(est.uid(), copy.uid());
        assertEquals(0.5, copy.getStepSize());
        assertEquals(0.01, est.getStepSize());
        assertTrue(est.uid().startsWith("nnRegressor_"));
        assertEquals(est.uid(), est.featuresCol().parent(), "Spark's shared params belong to this stage");
        assertThrows(IllegalArgumentException.class, () -> est.setStepSize(-1));
        assertThrows(IllegalArgumentException.class, () -> est.setActivation("swish"));
        assertThrows(IllegalArgumentException.class, () -> est.setHiddenLayers(4, 0));
        assertThrows(IllegalArgumentException.class, () -> est.setLoss("hinge"));
    }

    @Test
    void schemaErrorsNameTheColumn() {
        Dataset<Row> df = linear(50, 5, false, false);
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> linearModel().setFeaturesCol("nope").fit(df));
        assertTrue(missing.getMessage().contains("featuresCol 'nope' does not exist"), missing.getMessage());
        IllegalArgumentException wrongType = assertThrows(IllegalArgumentException.class,
                () -> linearModel().setFeaturesCol("w").fit(df));
        assertTrue(wrongType.getMessage().contains("featuresCol 'w' has type double; it must be a Vector"), wrongType.getMessage());
        IllegalArgumentException label = assertThrows(IllegalArgumentException.class,
                () -> linearModel().setLabelCol("isVal").fit(df));
        assertTrue(label.getMessage().contains("labelCol 'isVal' has type boolean"), label.getMessage());
        NeuralNetRegressionModel model = linearModel().setMaxIter(1).fit(df);
        Dataset<Row> wider = spark.createDataFrame(List.of(RowFactory.create(Vectors.dense(1, 2, 3))),
                new StructType().add("features", new VectorUDT()));
        Exception size = assertThrows(Exception.class, () -> model.transform(wider).collect());
        assertTrue(rootMessage(size).contains("has 3 values in the features column 'features' but the model was fitted on 2 features"),
                rootMessage(size));
    }

    static String rootMessage(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) sb.append(c.getMessage()).append(" | ");
        return sb.toString();
    }

    @Test
    void modelsEstimatorsAndPipelinesSaveAndLoad() throws Exception {
        Dataset<Row> df = linear(300, 6, false, false);
        NeuralNetRegressor est = linearModel().setMaxIter(3).setHiddenLayers(4);
        NeuralNetRegressionModel model = est.fit(df);
        String path = dir.resolve("model").toString();
        model.write().overwrite().save(path);
        NeuralNetRegressionModel loaded = NeuralNetRegressionModel.load(path);
        assertEquals(model.uid(), loaded.uid());
        assertArrayEquals(model.weights().toArray(), loaded.weights().toArray());
        assertEquals(model.getStepSize(), loaded.getStepSize());
        assertFalse(loaded.hasSummary());
        List<Row> a = model.transform(df).select("prediction").collectAsList();
        List<Row> b = loaded.transform(df).select("prediction").collectAsList();
        assertEquals(a, b);
        // The data folder holds the portable model.json.
        assertArrayEquals(model.weights().toArray(), ModelJson.read(dir.resolve("model/data/model.json")).weights());

        est.write().overwrite().save(dir.resolve("est").toString());
        NeuralNetRegressor estLoaded = NeuralNetRegressor.load(dir.resolve("est").toString());
        assertArrayEquals(new int[] {4}, estLoaded.getHiddenLayers());
        assertEquals(est.uid(), estLoaded.uid());

        PipelineModel pipeline = new Pipeline().setStages(new PipelineStage[] {est}).fit(df);
        pipeline.write().overwrite().save(dir.resolve("pipeline").toString());
        PipelineModel pipelineLoaded = PipelineModel.load(dir.resolve("pipeline").toString());
        assertEquals(pipeline.transform(df).select("prediction").collectAsList(),
                pipelineLoaded.transform(df).select("prediction").collectAsList());

        model.exportJson(dir.resolve("exported.json").toString());
        NeuralNetRegressionModel imported = NeuralNetRegressionModel.fromNetwork(ModelJson.read(dir.resolve("exported.json")));
        assertEquals(a, imported.transform(df).select("prediction").collectAsList());
    }

    @Test
    void trainingContinuesFromInitialWeightsOrAnInitialModel() throws Exception {
        Dataset<Row> df = linear(300, 7, false, false);
        NeuralNetRegressor est = linearModel().setHiddenLayers(4).setMaxIter(2);
        NeuralNetRegressionModel first = est.fit(df);
        // A step size too small to move anything: the continued model must start exactly where the first ended.
        NeuralNetRegressor frozen = est.copy(ParamMap.empty()).setOptimizer("sgd").setStepSize(1e-300).setMaxIter(1);
        NeuralNetRegressionModel fromWeights = frozen.copy(ParamMap.empty()).setInitialWeights(first.weights()).fit(df);
        assertArrayEquals(first.weights().toArray(), fromWeights.weights().toArray(), 1e-12);
        first.exportJson(dir.resolve("first.json").toString());
        NeuralNetRegressionModel fromModel = frozen.copy(ParamMap.empty()).setInitialModel(dir.resolve("first.json").toString()).fit(df);
        assertArrayEquals(first.weights().toArray(), fromModel.weights().toArray(), 1e-12);
        // The continued model also keeps the first model's label scaling, so its predictions agree.
        assertEquals(first.predict(Vectors.dense(0.3, 0.6)), fromModel.predict(Vectors.dense(0.3, 0.6)), 1e-6);

        IllegalArgumentException wrongShape = assertThrows(IllegalArgumentException.class,
                () -> frozen.copy(ParamMap.empty()).setHiddenLayers(5).setInitialModel(dir.resolve("first.json").toString()).fit(df));
        assertTrue(wrongShape.getMessage().contains("initialModel"), wrongShape.getMessage());
        IllegalArgumentException wrongSize = assertThrows(IllegalArgumentException.class,
                () -> frozen.copy(ParamMap.empty()).setInitialWeights(Vectors.dense(1, 2, 3)).fit(df));
        assertTrue(wrongSize.getMessage().contains("initial weights (initialWeights) have 3 values"), wrongSize.getMessage());
    }

    @Test
    void checkpointsLetAFitContinueWhereAnEarlierOneStopped() throws Exception {
        Dataset<Row> df = linear(400, 8, false, false).cache();
        String ckpt = dir.resolve("ckpt").toString();
        NeuralNetRegressor est = linearModel().setHiddenLayers(4).setCheckpointDir(ckpt).setCheckpointInterval(2);
        est.copy(ParamMap.empty()).setMaxIter(4).fit(df);
        assertTrue(java.nio.file.Files.isDirectory(dir.resolve("ckpt/checkpoint-000004")));
        NeuralNetRegressionModel continued = est.copy(ParamMap.empty()).setMaxIter(6).fit(df);
        NeuralNetRegressionModel straight = linearModel().setHiddenLayers(4).setMaxIter(6).fit(df);
        assertArrayEquals(straight.weights().toArray(), continued.weights().toArray(), 1e-12);
        assertEquals(6, continued.summary().totalIterations());
        IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
                () -> est.copy(ParamMap.empty()).setBatchSize(32).setMaxIter(6).fit(df));
        assertTrue(other.getMessage().contains("resume with the same settings"), other.getMessage());
    }

    /**
     * A fit that resumes from a checkpoint trains under the checkpoint's scaling, whatever its own rows' statistics:
     * with a full batch, the resumed epoch's train loss is the checkpointed model's loss on the new rows, scaled by
     * that model's scaling (worked out here row by row from its predictions).
     */
    @Test
    void aResumedFitScalesItsRowsByTheCheckpointsScaling() {
        Dataset<Row> df = linear(300, 9, false, false).cache();
        // The same number of rows (a checkpoint is tied to it), with features whose mean is 2 higher.
        List<Row> moved = new ArrayList<>();
        for (Row r : df.collectAsList()) {
            double[] x = ((org.apache.spark.ml.linalg.Vector) r.get(0)).toArray();
            moved.add(RowFactory.create(Vectors.dense(x[0] + 2, 3 * x[1] + 2), r.get(1), r.get(2), r.get(3)));
        }
        Dataset<Row> shifted = spark.createDataFrame(moved, df.schema()).repartition(df.rdd().getNumPartitions());
        String ckpt = dir.resolve("scaled").toString();
        NeuralNetRegressor est = new NeuralNetRegressor().setHiddenLayers(3).setBatchSize(0).setStepSize(0.05).setSeed(2)
                .setStandardization(true).setCheckpointDir(ckpt).setCheckpointInterval(1);
        NeuralNetRegressionModel first = est.copy(ParamMap.empty()).setMaxIter(2).fit(df);
        NeuralNetRegressionModel resumed = est.copy(ParamMap.empty()).setMaxIter(3).fit(shifted);
        io.sparkbackprop.nn.Scaling a = first.network().scaling();
        assertArrayEquals(a.featureMean(), resumed.network().scaling().featureMean(), 0.0);
        double sum = 0;
        int n = 0;
        for (Row r : moved) {
            double pred = first.predict((org.apache.spark.ml.linalg.Vector) r.get(0));
            double residual = (pred - r.getDouble(1)) / a.labelStd()[0];
            sum += residual * residual;
            n++;
        }
        double expected = sum / n;
        double epoch3 = resumed.summary().trainLossHistory()[2];
        assertEquals(expected, epoch3, 1e-9 * expected, "the resumed epoch's loss on the new rows, under the checkpoint's scaling");
    }
}
