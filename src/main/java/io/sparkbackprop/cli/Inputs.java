package io.sparkbackprop.cli;

import io.sparkbackprop.data.Block;
import io.sparkbackprop.data.Blocks;
import io.sparkbackprop.data.ClassLabels;
import io.sparkbackprop.data.DataFormat;
import io.sparkbackprop.data.DataReader;
import io.sparkbackprop.data.Friedman1;
import io.sparkbackprop.data.LabeledData;
import io.sparkbackprop.io.InputColumns;
import io.sparkbackprop.nn.Loss;
import io.sparkbackprop.nn.Network;
import io.sparkbackprop.nn.Topology;
import io.sparkbackprop.train.TrainingPipeline;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * What {@code train}'s data options name, as the training pipeline takes it: the training and test rows as
 * blocks (read and checked, or generated) and the topology that fits them. Scaling and caching are the
 * pipeline's.
 */
record Inputs(TrainingPipeline.Data data, Topology topology, InputColumns columns) {

    /**
     * @param initialColumns the named columns of the model to start from (null: none, or no such model): a CSV file's
     *                       features are then selected by those names, in that order, so the weights meet their columns
     */
    static Inputs load(SparkSession spark, DataOptions data, NetworkOptions net, Network initial, InputColumns initialColumns, long seed) {
        data.validate();
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Loss loss = initial != null ? initial.topology().loss() : net.lossFunction();
        JavaRDD<Block> train;
        JavaRDD<Block> test;
        int features;
        int outputs;
        List<LabeledData> sources = new ArrayList<>();
        InputColumns columns = null;
        if (data.data == null) {
            int partitions = data.partitions > 0 ? data.partitions : sc.defaultParallelism();
            long testRows = Math.round(data.rows * data.testFraction);
            train = Friedman1.generate(sc, data.rows - testRows, partitions, seed, data.blockSize);
            test = testRows == 0 ? null : Friedman1.generate(sc, testRows, partitions, seed + 1_000_003L, data.blockSize);
            features = Friedman1.FEATURES;
            if (loss != Loss.MSE) throw new IllegalArgumentException("the generated Friedman #1 data is regression data: use --loss mse");
            outputs = 1;
        } else {
            DataFormat format = DataFormat.detect(data.data, data.format);
            // A model to continue fixes the width (its LIBSVM indices go up to its inputs), else --num-features, else the data.
            int width = initial != null && format != DataFormat.CSV ? initial.topology().inputSize() : data.numFeatures;
            LabeledData read = readFor(initialColumns, spark, data.data, format, data.label, width, data.dropInvalid);
            sources.add(read);
            // A CSV header names the columns; predict and evaluate will select them by these names. Other formats'
            // features are positions in a vector, checked by their number only.
            if (format == DataFormat.CSV) columns = new InputColumns(read.featureNames(), read.labelName());
            features = read.numFeatures();
            Dataset<Row> trainFrame = read.frame();
            Dataset<Row> testFrame = null;
            if (data.testData != null) {
                // A CSV test file's columns are matched by name to the training file's, whatever their order.
                LabeledData t = readFor(columns, spark, data.testData, DataFormat.detect(data.testData, data.format), data.label, features,
                        data.dropInvalid);
                sources.add(t);
                if (t.numFeatures() != features) {
                    throw new IllegalArgumentException("--test-data " + data.testData + " has " + t.numFeatures() + " features but --data "
                            + data.data + " has " + features);
                }
                testFrame = t.frame();
            } else if (data.testFraction > 0) {
                Dataset<Row>[] split = trainFrame.randomSplit(new double[] {1 - data.testFraction, data.testFraction}, seed);
                trainFrame = split[0];
                testFrame = split[1];
            }
            outputs = loss == Loss.CROSS_ENTROPY ? numClasses(trainFrame, initial) : 1;
            if (loss == Loss.CROSS_ENTROPY && initial != null) {
                checkClasses(trainFrame, outputs, data.data);
                if (testFrame != null) checkClasses(testFrame, outputs, data.testData != null ? data.testData : data.data);
            }
            int labelWidth = loss.labelWidth(outputs);
            train = Blocks.fromDataFrame(trainFrame, "features", "label", null, features, labelWidth, data.blockSize, data.storage());
            test = testFrame == null ? null
                    : Blocks.fromDataFrame(testFrame, "features", "label", null, features, labelWidth, data.blockSize, data.storage());
        }
        Topology topology = initial != null ? initial.topology() : net.topology(features, outputs);
        if (topology.inputSize() != features) {
            throw new IllegalArgumentException("--init-model " + net.initModel + " expects " + topology.inputSize()
                    + " features but the data has " + features);
        }
        String where = data.data == null ? null : " in " + data.data;
        Runnable release = () -> sources.forEach(LabeledData::release);
        return new Inputs(new TrainingPipeline.Data(train, test, release, where), topology, columns);
    }

    /**
     * A labelled file read for a model that may name its columns ({@code columns}, null: it does not): a CSV file's features
     * selected by those names, in their order, and its label too unless {@code label} names one; any other file as
     * {@link DataReader} reads it.
     */
    static LabeledData readFor(InputColumns columns, SparkSession spark, String path, DataFormat format, String label, int numFeatures,
                               boolean dropInvalid) {
        boolean byName = columns != null && format == DataFormat.CSV;
        return DataReader.read(spark, path, format, label != null || !byName ? label : columns.label(), byName ? columns.features() : null,
                numFeatures, dropInvalid);
    }

    /** A model being continued knows k classes: every label must be one of 0..k−1. */
    private static void checkClasses(Dataset<Row> frame, int k, String path) {
        ClassLabels.of(frame, "label").ifPresent(labels -> {
            if (labels.max() > k - 1) {
                throw new IllegalArgumentException(path + ": labels range from " + labels.min() + " to " + labels.max()
                        + ", but the model being continued has the classes 0.." + (k - 1)
                        + "; give labels in that range or train a new model without --init-model");
            }
        });
    }

    /** Classes are 0..max label; the model being continued fixes their number. */
    private static int numClasses(Dataset<Row> frame, Network initial) {
        if (initial != null) return initial.topology().outputSize();
        return ClassLabels.of(frame, "label").orElseThrow(() -> new IllegalArgumentException("no training rows")).numClasses();
    }

}
