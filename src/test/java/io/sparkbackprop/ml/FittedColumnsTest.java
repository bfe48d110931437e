package io.sparkbackprop.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.SparkTestSession;
import io.sparkbackprop.io.ModelJson;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.ml.feature.VectorAssembler;
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

/**
 * A fitted model keeps the names of the columns it was fitted on (the features' ML attributes, as VectorAssembler sets
 * them, and the label column): saved with it, exported in model.json's input_columns, and checked at transform, where
 * the same columns assembled in another order are refused rather than silently scored.
 */
class FittedColumnsTest {
    private static SparkSession spark;
    private static Dataset<Row> table;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        spark = SparkTestSession.start("FittedColumnsTest");
        SplittableRandom random = new SplittableRandom(3);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            double a = random.nextDouble();
            double b = random.nextDouble();
            double c = random.nextDouble();
            rows.add(RowFactory.create(a, b, c, a + 2 * b - c, a > b ? 1.0 : 0.0));
        }
        StructType schema = new StructType().add("a", DataTypes.DoubleType).add("b", DataTypes.DoubleType).add("c", DataTypes.DoubleType)
                .add("y", DataTypes.DoubleType).add("cls", DataTypes.DoubleType);
        table = spark.createDataFrame(rows, schema).cache();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static Dataset<Row> assembled(String... columns) {
        return new VectorAssembler().setInputCols(columns).setOutputCol("features").transform(table);
    }

    @Test
    void theFittedColumnsAreKeptSavedExportedAndCheckedAtTransform() throws Exception {
        NeuralNetRegressionModel model = new NeuralNetRegressor().setLabelCol("y").setHiddenLayers(4).setMaxIter(2).setSeed(1)
                .fit(assembled("a", "b", "c"));
        assertEquals(List.of("a", "b", "c"), model.inputColumns().features());
        assertEquals("y", model.inputColumns().label());

        String saved = dir.resolve("model").toString();
        model.write().overwrite().save(saved);
        NeuralNetRegressionModel loaded = NeuralNetRegressionModel.load(saved);
        assertEquals(model.inputColumns(), loaded.inputColumns());
        String exported = dir.resolve("exported.json").toString();
        loaded.exportJson(exported);
        assertEquals(model.inputColumns(), ModelJson.readSaved(Path.of(exported)).columns());

        assertEquals(200, loaded.transform(assembled("a", "b", "c")).count());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> loaded.transform(assembled("a", "c", "b")));
        assertEquals("the features column 'features' holds [a, c, b] but the model was fitted on [a, b, c]: assemble the same columns"
                + " in the same order as at fit time", e.getMessage());

        NeuralNetClassificationModel classifier = new NeuralNetClassifier().setLabelCol("cls").setHiddenLayers(4).setMaxIter(2).setSeed(1)
                .fit(assembled("b", "a"));
        assertEquals(List.of("b", "a"), classifier.inputColumns().features());
        assertEquals("cls", classifier.inputColumns().label());
        assertThrows(IllegalArgumentException.class, () -> classifier.copy(new org.apache.spark.ml.param.ParamMap()).transform(assembled("a", "b")));
    }

    @Test
    void featuresWithoutNamesAreCheckedByTheirSizeOnly() {
        List<Row> rows = List.of(RowFactory.create(Vectors.dense(1, 2), 3.0), RowFactory.create(Vectors.dense(2, 1), 0.0));
        Dataset<Row> plain = spark.createDataFrame(rows, new StructType().add("features", new org.apache.spark.ml.linalg.VectorUDT())
                .add("label", DataTypes.DoubleType));
        NeuralNetRegressionModel model = new NeuralNetRegressor().setHiddenLayers(2).setMaxIter(1).setSeed(1).fit(plain);
        assertNull(model.inputColumns());
        assertEquals(2, model.transform(plain).count());
        assertTrue(model.transform(assembled("a", "b")).count() > 0, "a named input is fine for a model without names");
    }
}
