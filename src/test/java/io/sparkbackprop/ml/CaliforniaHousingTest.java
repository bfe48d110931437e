package io.sparkbackprop.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.SparkTestSession;
import io.sparkbackprop.TestDatasets;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.feature.Imputer;
import org.apache.spark.ml.feature.OneHotEncoder;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.regression.GBTRegressor;
import org.apache.spark.ml.regression.LinearRegression;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * California housing (20,640 rows, missing bedrooms, a text column) through a full Spark pipeline, with
 * house prices (~1e5) as the label, untouched: NeuralNetRegressor against LinearRegression and GBT.
 */
class CaliforniaHousingTest {
    private static SparkSession spark;
    private static Dataset<Row> train;
    private static Dataset<Row> test;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        spark = SparkTestSession.start("CaliforniaHousingTest");
        Dataset<Row> all = spark.read().option("header", true).option("inferSchema", true)
                .csv(TestDatasets.file("california-housing.csv.gz").toString());
        Dataset<Row>[] split = all.randomSplit(new double[] {0.8, 0.2}, 42);
        train = split[0].cache();
        test = split[1].cache();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static PipelineStage[] features() {
        String[] numeric = {"longitude", "latitude", "housing_median_age", "total_rooms", "total_bedrooms", "population",
            "households", "median_income"};
        String[] imputed = java.util.Arrays.stream(numeric).map(c -> c + "_imputed").toArray(String[]::new);
        String[] assembled = java.util.Arrays.copyOf(imputed, imputed.length + 1);
        assembled[imputed.length] = "ocean_vec";
        return new PipelineStage[] {
            new Imputer().setInputCols(numeric).setOutputCols(imputed),
            new StringIndexer().setInputCol("ocean_proximity").setOutputCol("ocean_idx"),
            new OneHotEncoder().setInputCol("ocean_idx").setOutputCol("ocean_vec"),
            new VectorAssembler().setInputCols(assembled).setOutputCol("raw"),
            new StandardScaler().setInputCol("raw").setOutputCol("features").setWithMean(true).setWithStd(true)};
    }

    private static PipelineModel fit(PipelineStage model) {
        PipelineStage[] f = features();
        PipelineStage[] stages = java.util.Arrays.copyOf(f, f.length + 1);
        stages[f.length] = model;
        return new Pipeline().setStages(stages).fit(train);
    }

    private static double rmse(PipelineModel model) {
        return new RegressionEvaluator().setLabelCol("median_house_value").setMetricName("rmse").evaluate(model.transform(test));
    }

    @Test
    void neuralNetBeatsLinearRegressionAndSavesWithThePipeline() throws Exception {
        long t0 = System.nanoTime();
        PipelineModel nn = fit(new NeuralNetRegressor().setLabelCol("median_house_value").setHiddenLayers(256, 128)
                .setSeed(42));
        double nnSeconds = (System.nanoTime() - t0) / 1e9;
        double nnRmse = rmse(nn);
        t0 = System.nanoTime();
        double linearRmse = rmse(fit(new LinearRegression().setLabelCol("median_house_value")));
        double linearSeconds = (System.nanoTime() - t0) / 1e9;
        t0 = System.nanoTime();
        double gbtRmse = rmse(fit(new GBTRegressor().setLabelCol("median_house_value").setMaxIter(100).setMaxDepth(6).setSeed(42)));
        double gbtSeconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("California housing test RMSE: NeuralNetRegressor %.0f (%.1f s), LinearRegression %.0f (%.1f s), "
                + "GBTRegressor(100 trees, depth 6) %.0f (%.1f s)%n", nnRmse, nnSeconds, linearRmse, linearSeconds, gbtRmse, gbtSeconds);
        assertTrue(nnRmse <= 55_000, "test RMSE " + nnRmse);
        assertTrue(nnRmse < linearRmse, "neural net " + nnRmse + " vs linear regression " + linearRmse);

        String path = dir.resolve("pipeline").toString();
        nn.write().overwrite().save(path);
        PipelineModel loaded = PipelineModel.load(path);
        List<Row> before = nn.transform(test).select("prediction").collectAsList();
        List<Row> after = loaded.transform(test).select("prediction").collectAsList();
        assertEquals(before, after);
    }
}
