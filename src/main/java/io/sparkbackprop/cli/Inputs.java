package io.sparkbackprop.cli;

import io.sparkbackprop.data.Block;
import io.sparkbackprop.data.Blocks;
import io.sparkbackprop.data.ClassLabels;
import io.sparkbackprop.data.DataFormat;
import io.sparkbackprop.data.DataReader;
import io.sparkbackprop.data.Friedman1;
import io.sparkbackprop.data.LabeledData;
import io.sparkbackprop.data.Standardizer;
import io.sparkbackprop.nn.Loss;
import io.sparkbackprop.nn.Network;
import io.sparkbackprop.nn.Scaling;
import io.sparkbackprop.nn.Topology;
import io.sparkbackprop.train.TrainingSet;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The cached training and test sets a run trains on, the topology that fits them and the scaling
 * applied to them: data flows file/generator → blocks → (scaling) → cache.
 */
record Inputs(TrainingSet train, TrainingSet test, Topology topology, Scaling scaling) {

    static Inputs load(SparkSession spark, DataOptions data, NetworkOptions net, Network initial, long seed) {
        data.validate();
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Loss loss = initial != null ? initial.topology().loss() : net.lossFunction();
        JavaRDD<Block> train;
        JavaRDD<Block> test;
        int features;
        int outputs;
        List<LabeledData> sources = new ArrayList<>();
        if (data.data == null) {
            int partitions = data.partitions > 0 ? data.partitions : sc.defaultParallelism();
            long testRows = Math.round(data.rows * data.testFraction);
            train = Friedman1.generate(sc, data.rows - testRows, partitions, seed, data.blockSize);
            test = testRows == 0 ? null : Friedman1.generate(sc, testRows, partitions, seed + 1_000_003L, data.blockSize);
            features = Friedman1.FEATURES;
            if (loss != Loss.MSE) throw new IllegalArgumentException("the generated Friedman #1 data is regression data: use --loss mse");
            outputs = 1;
        } else {
            LabeledData read = DataReader.read(spark, data.data, DataFormat.detect(data.data, data.format), data.label, 0, data.dropInvalid);
            sources.add(read);
            features = read.numFeatures();
            Dataset<Row> trainFrame = read.frame();
            Dataset<Row> testFrame = null;
            if (data.testData != null) {
                LabeledData t = DataReader.read(spark, data.testData, DataFormat.detect(data.testData, data.format), data.label, features,
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
            train = Blocks.fromDataFrame(trainFrame, "features", "label", features, labelWidth, data.blockSize);
            test = testFrame == null ? null : Blocks.fromDataFrame(testFrame, "features", "label", features, labelWidth, data.blockSize);
        }
        Topology topology = initial != null ? initial.topology() : net.topology(features, outputs);
        if (topology.inputSize() != features) {
            throw new IllegalArgumentException("--init-model " + net.initModel + " expects " + topology.inputSize()
                    + " features but the data has " + features);
        }
        Scaling scaling = initial != null ? initial.scaling() : null;
        if (scaling == null && data.standardize) {
            scaling = Standardizer.fit(train, features, topology.labelWidth(), loss == Loss.MSE);
        }
        if (scaling != null) {
            train = Standardizer.apply(train, scaling);
            test = test == null ? null : Standardizer.apply(test, scaling);
        }
        TrainingSet trainSet = TrainingSet.cache(train, "train");
        if (trainSet.rows() == 0) throw new IllegalArgumentException("no training rows" + (data.data == null ? "" : " in " + data.data));
        TrainingSet testSet = test == null ? null : TrainingSet.cache(test, "test");
        // The blocks are cached now: the readers' caches of the checked rows have served their purpose.
        sources.forEach(LabeledData::release);
        return new Inputs(trainSet, testSet, topology, scaling);
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
