package io.sparkbackprop.ml;

import io.sparkbackprop.data.Block;
import io.sparkbackprop.data.Blocks;
import io.sparkbackprop.io.ModelJson;
import io.sparkbackprop.nn.Activation;
import io.sparkbackprop.nn.Loss;
import io.sparkbackprop.nn.Network;
import io.sparkbackprop.nn.Precision;
import io.sparkbackprop.nn.Topology;
import io.sparkbackprop.train.LearningRateSchedule;
import io.sparkbackprop.train.OptimizerKind;
import io.sparkbackprop.train.ProgressLog;
import io.sparkbackprop.train.TrainingConfig;
import io.sparkbackprop.train.TrainingPipeline;
import io.sparkbackprop.train.TrainingResult;
import io.sparkbackprop.train.Checkpoints;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * What every estimator's fit adds to the {@link TrainingPipeline} the command line uses too: the DataFrame's
 * rows as blocks (the rows marked by validationIndicatorCol as the test rows), the Params as the pipeline's
 * settings, and the result as a {@link Network} with its summary.
 */
final class NeuralNetFitting {
    /** A fitted network with the history of its fit. */
    record Fitted(Network network, NeuralNetTrainingSummary summary) {
    }

    private NeuralNetFitting() {
    }

    /**
     * @param outputs     the network's output size
     * @param scaleLabels standardize regression labels (predictions are mapped back)
     */
    static Fitted fit(FitInput input, NeuralNetParams p, String featuresCol, String labelCol, Loss loss, int outputs,
                      int numFeatures, boolean scaleLabels) {
        Dataset<Row> df = input.rows();
        String validationCol = p.getValidationIndicatorCol();
        Dataset<Row> trainRows = df;
        Dataset<Row> testRows = null;
        if (validationCol != null && !validationCol.isEmpty()) {
            Column isTest = functions.coalesce(df.col(validationCol), functions.lit(false));
            trainRows = df.filter(functions.not(isTest));
            testRows = df.filter(isTest);
        }
        Topology topology = topology(p, numFeatures, outputs, loss);
        int labelWidth = topology.labelWidth();
        String weightCol = p.getWeightCol();
        JavaRDD<Block> train = Blocks.fromDataFrame(trainRows, featuresCol, labelCol, weightCol, numFeatures, labelWidth, p.getBlockSize(),
                p.getFeatureStorage());
        JavaRDD<Block> test = testRows == null ? null
                : Blocks.fromDataFrame(testRows, featuresCol, labelCol, weightCol, numFeatures, labelWidth, p.getBlockSize(),
                        p.getFeatureStorage());
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(df.sparkSession().sparkContext());
        boolean checkpointing = SchemaChecks.isSet(p.getCheckpointDir()) && p.getCheckpointInterval() > 0;
        Checkpoints checkpoints = checkpointing ? new Checkpoints(p.getCheckpointDir(), sc.hadoopConfiguration()) : null;
        String noRows = testRows == null ? null : " (every row is marked by " + validationCol + ")";
        TrainingPipeline.Outcome run = new TrainingPipeline(sc, topology, config(p))
                .startFrom(initialNetwork(p, df, featuresCol, topology))
                .startWeights(p.isDefined(p.initialWeights()) && p.getInitialWeights() != null ? p.getInitialWeights().toArray() : null)
                .initializer(p.initializer())
                .standardize(p.getStandardization(), scaleLabels)
                // A fit with a checkpoint directory continues from its latest checkpoint, as Spark's own estimators would not
                // recompute what a checkpoint holds.
                .checkpoints(checkpoints, checkpointing ? p.getCheckpointInterval() : 0,
                        checkpointing ? TrainingPipeline.resumePoint(checkpoints) : null)
                .keepPartitioning(p.getKeepPartitioning())
                .listener(new ProgressLog(0))
                .run(new TrainingPipeline.Data(train, test, input::release, noRows));
        TrainingResult result = run.result();
        return new Fitted(run.network(), new NeuralNetTrainingSummary(result.history(), result.steps(), result.bestEpoch()));
    }

    /** The Params as the step loop's settings; each is checked where it lives, by {@link TrainingConfig}. */
    private static TrainingConfig config(NeuralNetParams p) {
        return TrainingConfig.defaults().withEpochs(p.getMaxIter()).withBatchSize(p.getBatchSize())
                .withOptimizer(OptimizerKind.fromId(p.getOptimizer())).withLearningRate(p.getStepSize()).withSeed(p.getSeed())
                .withAggregationDepth(p.getAggregationDepth()).withChunkSize(p.getChunkSize()).withTol(p.getTol()).withMomentum(p.getMomentum())
                .withNesterov(p.getNesterov()).withWeightDecay(p.getWeightDecay())
                .withSchedule(LearningRateSchedule.of(p.getLrSchedule(), p.getLrDecay() == 0 ? null : p.getLrDecay(),
                        p.getLrDecayEvery(), p.getLrMin(), p.getWarmupEpochs()))
                .withL2(p.getL2()).withDropout(p.getDropout()).withClipNorm(p.getClipNorm()).withEarlyStopping(p.getEarlyStopping())
                .withLocalSteps(p.getLocalSteps())
                .withPrecision(Precision.fromId(p.getPrecision()))
                .withSparseUpdates(p.getSparseUpdates());
    }

    static Topology topology(NeuralNetParams p, int numFeatures, int outputs, Loss loss) {
        int[] hidden = p.getHiddenLayers();
        String[] names = p.isDefined(p.activations()) && p.getActivations().length > 0 ? p.getActivations() : null;
        if (names != null && names.length != hidden.length) {
            throw new IllegalArgumentException("activations names " + names.length + " activations for "
                    + hidden.length + " hidden layers " + Arrays.toString(hidden) + "; give one per hidden layer");
        }
        Topology.Builder b = Topology.input(numFeatures);
        for (int i = 0; i < hidden.length; i++) b.layer(hidden[i], Activation.fromId(names != null ? names[i] : p.getActivation()));
        return b.output(outputs, loss);
    }

    private static Network initialNetwork(NeuralNetParams p, Dataset<Row> df, String featuresCol, Topology topology) {
        if (!p.isDefined(p.initialModel()) || p.getInitialModel() == null || p.getInitialModel().isEmpty()) return null;
        String path = p.getInitialModel();
        Network net;
        try {
            Path file = new Path(path);
            FileSystem fs = file.getFileSystem(df.sparkSession().sparkContext().hadoopConfiguration());
            try (InputStream in = fs.open(file)) {
                ModelJson.Saved saved = ModelJson.readSaved(in, path);
                // Its weights belong to its columns: features assembled in another order would meet the wrong weights.
                NetworkModelIO.requireSameFeatures(saved.columns(), df.schema(), featuresCol);
                net = saved.network();
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("initialModel " + path + " cannot be read: " + e.getMessage(), e);
        }
        if (!net.topology().equals(topology)) {
            throw new IllegalArgumentException("initialModel " + path + " is a " + net.topology() + " network, but these Params and "
                    + "data make a " + topology + " network; change hiddenLayers/activation or the model");
        }
        return net;
    }
}
