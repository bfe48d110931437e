package io.sparkbackprop.cli;

import io.sparkbackprop.io.OutputDirectory;
import io.sparkbackprop.nn.Loss;
import io.sparkbackprop.nn.Network;
import io.sparkbackprop.nn.Precision;
import io.sparkbackprop.nn.Topology;
import io.sparkbackprop.train.Checkpoints;
import io.sparkbackprop.train.OptimizerKind;
import io.sparkbackprop.train.ProgressBar;
import io.sparkbackprop.train.ProgressLog;
import io.sparkbackprop.train.TrainingConfig;
import io.sparkbackprop.train.TrainingListener;
import io.sparkbackprop.train.TrainingPipeline;
import io.sparkbackprop.train.TrainingSet;
import io.sparkbackprop.train.TrainingResult;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code train}: read or generate data, train a network on Spark, write model.json, history.csv, history.json and loss.png. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a network. Without --data: Friedman #1 regression data generated on the executors.")
public final class TrainCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(TrainCommand.class);

    @Mixin
    SparkMasterOption master = new SparkMasterOption();

    // Read by JobFile before picocli parses (the file's values are the defaults); declared here so that it
    // is accepted and documented.
    @Option(names = JobFile.OPTION, paramLabel = "FILE", description = "Job file of KEY = VALUE lines, keys being these options' "
            + "long names (epochs = 40, learning-rate = 0.01, standardize = true); options given here override it. "
            + "Examples: conf/*.properties.")
    Path config;

    @Option(names = "--seed", defaultValue = "42", description = "Seed for data generation, splits, initialisation and batch order. Default: ${DEFAULT-VALUE}")
    long seed;

    @Mixin
    DataOptions data = new DataOptions();

    @Mixin
    NetworkOptions network = new NetworkOptions();

    @Mixin
    CheckpointOptions checkpoint = new CheckpointOptions();

    @Option(names = "--epochs", defaultValue = "80", description = "Passes over the training data. Default: ${DEFAULT-VALUE}")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "1024",
            description = "Rows per step, over all partitions; 0 = full batch (one step per epoch). Default: ${DEFAULT-VALUE}")
    int batchSize;

    @Option(names = "--optimizer", defaultValue = "adam", description = "sgd, momentum, adam, adamw, rmsprop or adagrad. Default: ${DEFAULT-VALUE}")
    String optimizer;

    @Option(names = "--learning-rate", description = "Step size. Default: 0.001 for adam, adamw and rmsprop, 0.01 for sgd, momentum and adagrad.")
    Double learningRate;

    @Mixin
    TrainingOptions training = new TrainingOptions();

    @Option(names = "--eval-every", defaultValue = "1", description = "Measure the test loss every N epochs (and after the last). Default: ${DEFAULT-VALUE}")
    int evalEvery;

    @Option(names = "--log-every", defaultValue = "0", description = "Log every N epochs; 0 = about 50 lines per run. Default: ${DEFAULT-VALUE}")
    int logEvery;

    @Option(names = "--aggregation-depth", defaultValue = "1", description = "aggregation depth: 1 sums the partitions' gradients on the driver from the step's job; 2 or more uses treeAggregate, a shuffle stage per step that pays only with hundreds of partitions or very large networks. Default: ${DEFAULT-VALUE}")
    int aggregationDepth;

    @Option(names = "--chunk-size", defaultValue = "512", paramLabel = "ROWS",
            description = "Rows per matrix product of the training kernel: a cached block (--block-size rows) or a mini-batch "
            + "runs through the layers in chunks of this many (what Spark's MultilayerPerceptronClassifier calls blockSize). "
            + "Default: ${DEFAULT-VALUE}")
    int chunkSize;

    @Option(names = "--precision", defaultValue = "double", paramLabel = "double|float", converter = PrecisionConverter.class,
            description = "Arithmetic of the training tasks' matrix products: double, or float (single-precision gemms, about "
            + "twice as fast; weights, optimizer, evaluation and model stay double). Default: ${DEFAULT-VALUE}")
    Precision precision;

    @Option(names = "--sparse-updates", defaultValue = "lazy", paramLabel = "lazy|exact",
            description = "On sparse input (under a tenth of the values nonzero): lazy updates only the first layer's columns a "
            + "step's rows touch, with their optimizer slots, and ships only those to the executors; exact updates every weight "
            + "every step, as on dense input (full weights broadcast per step). Default: ${DEFAULT-VALUE}")
    String sparseUpdates;

    @Option(names = "--output", description = "Directory for model.json, history.csv, history.json and loss.png. Default: a new runs/<timestamp> folder.")
    Path output;

    @Option(names = "--overwrite", description = "Replace a non-empty --output directory.")
    boolean overwrite;

    @Override
    public Integer call() throws Exception {
        OptimizerKind kind = OptimizerKind.fromId(optimizer);
        double lr = learningRate != null ? learningRate : kind.defaultLearningRate();
        TrainingConfig config = training.apply(TrainingConfig.defaults().withEpochs(epochs).withBatchSize(batchSize).withOptimizer(kind)
                .withLearningRate(lr).withSeed(seed).withEvalEvery(evalEvery).withAggregationDepth(aggregationDepth)
                .withLogEvery(logEvery).withChunkSize(chunkSize).withPrecision(precision)
                .withSparseUpdates(sparseUpdates));
        java.time.Instant started = java.time.Instant.now();
        Path target = output != null ? output : OutputDirectory.freshRunDirectory(Paths.get("runs"), Clock.systemDefaultZone());
        OutputDirectory.checkWritable(target, overwrite);
        checkpoint.validate();
        io.sparkbackprop.io.ModelJson.Saved initialSaved = network.initialSaved();
        Network initial = initialSaved == null ? null : initialSaved.network();

        SparkSession spark = SparkSession.builder().config(master.conf("spark-backprop train")).getOrCreate();
        try {
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            Checkpoints checkpoints = checkpoint.dir == null ? null : new Checkpoints(checkpoint.dir, sc.hadoopConfiguration());
            // A checkpoint fixes the topology (and the classes) as a model to start from would: resuming needs only the
            // same data and run options, not the network options again.
            Checkpoints.Saved saved = checkpoint.resume ? TrainingPipeline.resumePoint(checkpoints) : null;
            Inputs inputs = Inputs.load(spark, data, network, saved != null ? saved.network() : initial,
                    saved == null && initialSaved != null ? initialSaved.columns() : null, seed);
            Topology topology = inputs.topology();
            // The bar first: it wipes itself before the epoch's log line.
            TrainingListener progress = TrainingListener.all(ProgressBar.onTerminal(), new ProgressLog(logEvery));
            LOG.info("network {}", topology);
            TrainingPipeline.Outcome run = new TrainingPipeline(sc, topology, config)
                    .startFrom(initial)
                    .initializer(network.initializer().orElse(null))
                    .standardize(data.standardize, data.standardizeLabel && topology.loss() == Loss.MSE)
                    .checkpoints(checkpoints, checkpoints == null ? 0 : checkpoint.every, saved)
                    .keepPartitioning(data.keepPartitioning)
                    .listener(progress)
                    .beforeTraining((train, test) -> logRun(train, test, config))
                    .run(inputs.data());
            TrainingResult result = run.result();
            Network trained = run.network();
            var runSettings = new java.util.TreeMap<>(run.settings());
            runSettings.put("epochs", Integer.toString(epochs));
            runSettings.put("data", data.data == null ? "generated Friedman #1" : data.data);
            runSettings.put("test_rows", Long.toString(run.testRows()));
            double totalSeconds = java.time.Duration.between(started, java.time.Instant.now()).toNanos() / 1e9;
            OutputDirectory.commit(target, overwrite, dir -> RunOutputs.write(dir, trained, inputs.columns(), result, runSettings, started, totalSeconds,
                    target.getFileName() + ": " + topology.loss().id() + " loss per epoch"));
            var last = result.history().get(result.history().size() - 1);
            LOG.info("final train loss {}, test loss {}; wrote {}", last.trainLoss(),
                    Double.isNaN(last.testLoss()) ? "-" : last.testLoss(), target.toAbsolutePath());
            return 0;
        } finally {
            spark.stop();
        }
    }

    /** What the log says before the first step (after the pipeline's BLAS report): the data and the settings. */
    private static void logRun(TrainingSet train, TrainingSet test, TrainingConfig config) {
        LOG.info("training on {} rows in {} partitions, testing on {} rows; {} epochs, batch {}, {} (learning rate {})",
                train.rows(), train.numPartitions(), test == null ? 0 : test.rows(), config.epochs(),
                config.batchSize() == 0 ? "full" : config.batchSize(), config.optimizer().id(), config.learningRate());
        if (config.precision() != Precision.DOUBLE) LOG.info("training products in {} precision", config.precision().id());
        LOG.info("learning-rate schedule {}; l2 {}, dropout {}, clip-norm {}, early stopping {}", config.schedule().describe(),
                config.l2(), config.dropout(), config.clipNorm(), config.earlyStopping() == 0 ? "off" : "after " + config.earlyStopping());
        if (config.localSteps() > 1) {
            LOG.info("local steps {}: each partition takes up to {} steps on its own per Spark job, then the models are averaged",
                    config.localSteps(), config.localSteps());
        }
    }

    /** Parses --precision where picocli reports it: with the option's name, for the command line and job files alike. */
    static final class PrecisionConverter implements picocli.CommandLine.ITypeConverter<Precision> {
        @Override
        public Precision convert(String value) {
            try {
                return Precision.fromId(value);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
