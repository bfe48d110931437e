package io.sparkbackprop.ml;

import io.sparkbackprop.data.Block;
import io.sparkbackprop.data.Blocks;
import io.sparkbackprop.data.Standardizer;
import io.sparkbackprop.io.ModelJson;
import io.sparkbackprop.nn.Activation;
import io.sparkbackprop.nn.Initializer;
import io.sparkbackprop.nn.Loss;
import io.sparkbackprop.nn.Network;
import io.sparkbackprop.nn.Precision;
import io.sparkbackprop.nn.Scaling;
import io.sparkbackprop.nn.Topology;
import io.sparkbackprop.train.LearningRateSchedule;
import io.sparkbackprop.train.OptimizerKind;
import io.sparkbackprop.train.ProgressLog;
import io.sparkbackprop.train.Trainer;
import io.sparkbackprop.train.TrainingConfig;
import io.sparkbackprop.train.TrainingResult;
import io.sparkbackprop.train.TrainingSet;
import io.sparkbackprop.train.TrainingState;
import io.sparkbackprop.train.TrainingListener;
import io.sparkbackprop.train.CheckpointWriter;
import io.sparkbackprop.train.Checkpoints;
import java.util.Map;
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
 * What every estimator's fit does, once: DataFrame → blocks → (scaling) → cached training and
 * validation sets → the same {@link Trainer} the command line uses → a {@link Network} and its summary.
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
        Dataset<Row> validationRows = null;
        if (validationCol != null && !validationCol.isEmpty()) {
            Column isValidation = functions.coalesce(df.col(validationCol), functions.lit(false));
            trainRows = df.filter(functions.not(isValidation));
            validationRows = df.filter(isValidation);
        }
        Topology topology = topology(p, numFeatures, outputs, loss);
        int labelWidth = topology.labelWidth();
        String weightCol = p.getWeightCol();
        JavaRDD<Block> train = Blocks.fromDataFrame(trainRows, featuresCol, labelCol, weightCol, numFeatures, labelWidth, p.getBlockSize());
        JavaRDD<Block> validation = validationRows == null ? null
                : Blocks.fromDataFrame(validationRows, featuresCol, labelCol, weightCol, numFeatures, labelWidth, p.getBlockSize());

        Network initial = initialNetwork(p, df, topology);
        Scaling scaling = initial != null ? initial.scaling() : scaling(train, p.getStandardization(), scaleLabels, numFeatures, labelWidth);
        if (scaling != null) {
            train = Standardizer.apply(train, scaling);
            validation = validation == null ? null : Standardizer.apply(validation, scaling);
        }
        TrainingSet trainSet = TrainingSet.cache(train, "train");
        TrainingSet validationSet = validation == null ? null : TrainingSet.cache(validation, "validation");
        // The blocks hold the rows now: the input's cache (when the fit made one) would only double the memory.
        input.release();
        try {
            if (trainSet.rows() == 0) {
                throw new IllegalArgumentException("no training rows" + (validationRows == null ? ""
                        : " (every row is marked by " + validationCol + ")"));
            }
            double[] w0 = initialWeights(p, topology, initial);
            OptimizerKind kind = OptimizerKind.fromId(p.getOptimizer());
            if (p.getLocalSteps() > 1 && p.getBatchSize() == 0) {
                throw new IllegalArgumentException("localSteps " + p.getLocalSteps() + " groups mini-batch steps into one Spark job, but "
                        + "batchSize 0 is a full batch, one step per epoch: set batchSize above 0 or localSteps to 1");
            }
            TrainingConfig config = TrainingConfig.defaults().withEpochs(p.getMaxIter()).withBatchSize(p.getBatchSize())
                    .withOptimizer(kind).withLearningRate(p.getStepSize()).withSeed(p.getSeed())
                    .withAggregationDepth(p.getAggregationDepth()).withTol(p.getTol()).withMomentum(p.getMomentum())
                    .withNesterov(p.getNesterov()).withWeightDecay(p.getWeightDecay())
                    .withSchedule(LearningRateSchedule.of(p.getLrSchedule(), p.getLrDecay() == 0 ? null : p.getLrDecay(),
                            p.getLrDecayEvery(), p.getLrMin(), p.getWarmupEpochs()))
                    .withL2(p.getL2()).withDropout(p.getDropout()).withClipNorm(p.getClipNorm()).withEarlyStopping(p.getEarlyStopping())
                    .withLocalSteps(p.getLocalSteps())
                    .withPrecision(Precision.fromId(p.getPrecision()));
            if (config.earlyStopping() > 0 && (validationSet == null || validationSet.rows() == 0)) {
                throw new IllegalArgumentException("earlyStopping watches the validation loss: set validationIndicatorCol and mark some "
                        + "rows as validation rows, or set earlyStopping to 0");
            }
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(df.sparkSession().sparkContext());
            TrainingState start = TrainingState.fresh(w0);
            TrainingListener listener = new ProgressLog(0);
            if (SchemaChecks.isSet(p.getCheckpointDir()) && p.getCheckpointInterval() > 0) {
                Checkpoints checkpoints = new Checkpoints(p.getCheckpointDir(), sc.hadoopConfiguration());
                Map<String, String> settings = CheckpointWriter.settingsOf(topology, config, trainSet);
                Checkpoints.Saved saved = checkpoints.latest().orElse(null);
                if (saved != null) {
                    Checkpoints.requireSameSettings(saved, settings);
                    start = saved.state();
                    scaling = saved.network().scaling();
                }
                listener = TrainingListener.all(listener, new CheckpointWriter(checkpoints, p.getCheckpointInterval(), topology,
                        scaling, settings));
            }
            TrainingResult result = new Trainer(sc, config).fit(topology, start, trainSet, validationSet, listener);
            return new Fitted(new Network(topology, result.weights(), scaling),
                    new NeuralNetTrainingSummary(result.history(), result.steps(), result.bestEpoch()));
        } finally {
            trainSet.unpersist();
            if (validationSet != null) validationSet.unpersist();
        }
    }

    static Topology topology(NeuralNetParams p, int numFeatures, int outputs, Loss loss) {
        int[] hidden = p.getHiddenLayers();
        int[] sizes = new int[hidden.length + 2];
        sizes[0] = numFeatures;
        System.arraycopy(hidden, 0, sizes, 1, hidden.length);
        sizes[sizes.length - 1] = outputs;
        Activation[] acts = new Activation[hidden.length + 1];
        if (p.isDefined(p.activations()) && p.getActivations().length > 0) {
            String[] names = p.getActivations();
            if (names.length != hidden.length) {
                throw new IllegalArgumentException("activations names " + names.length + " activations for "
                        + hidden.length + " hidden layers " + Arrays.toString(hidden) + "; give one per hidden layer");
            }
            for (int i = 0; i < names.length; i++) acts[i] = Activation.fromId(names[i]);
        } else {
            Arrays.fill(acts, Activation.fromId(p.getActivation()));
        }
        acts[hidden.length] = loss.defaultOutput();
        return new Topology(sizes, acts, loss);
    }

    private static Scaling scaling(JavaRDD<Block> train, boolean features, boolean labels, int numFeatures, int labelWidth) {
        if (!features && !labels) return null;
        Scaling learned = Standardizer.fit(train, numFeatures, labelWidth, labels);
        if (features) return learned;
        double[] zeros = new double[numFeatures];
        double[] ones = new double[numFeatures];
        Arrays.fill(ones, 1.0);
        return new Scaling(zeros, ones, learned.labelMean(), learned.labelStd());
    }

    private static Network initialNetwork(NeuralNetParams p, Dataset<Row> df, Topology topology) {
        if (!p.isDefined(p.initialModel()) || p.getInitialModel() == null || p.getInitialModel().isEmpty()) return null;
        String path = p.getInitialModel();
        Network net;
        try {
            Path file = new Path(path);
            FileSystem fs = file.getFileSystem(df.sparkSession().sparkContext().hadoopConfiguration());
            try (InputStream in = fs.open(file)) {
                net = ModelJson.read(in, path);
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

    private static double[] initialWeights(NeuralNetParams p, Topology topology, Network initial) {
        if (initial != null) return initial.weights().clone();
        if (p.isDefined(p.initialWeights()) && p.getInitialWeights() != null) {
            double[] w = p.getInitialWeights().toArray();
            if (w.length != topology.numParams()) {
                throw new IllegalArgumentException("initialWeights has " + w.length + " values but a " + topology + " network has "
                        + topology.numParams());
            }
            return w;
        }
        Initializer init = p.initializer() != null ? p.initializer() : Initializer.defaultFor(topology);
        return init.initialize(topology, p.getSeed());
    }
}
