package io.sparkbackprop.train;

import io.sparkbackprop.data.Block;
import io.sparkbackprop.data.Standardizer;
import io.sparkbackprop.nn.Initializer;
import io.sparkbackprop.nn.Network;
import io.sparkbackprop.nn.Precision;
import io.sparkbackprop.nn.Scaling;
import io.sparkbackprop.nn.Topology;
import io.sparkbackprop.runtime.BlasReport;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * From input blocks to a finished run: the one path both front doors take (the command line's {@code train}
 * and the Estimators' {@code fit}), which only translate their options or Params into it. In order:
 * the checkpoint to resume from (if any) → the scaling (the checkpoint's, else the starting model's, else
 * learned from the training blocks when asked for) → the scaled blocks cached → the start (the checkpoint's
 * state, else the starting model's or the given weights, else the initializer's) → the {@link Trainer} →
 * the trained {@link Network}, with the scaling it was trained under.
 */
public final class TrainingPipeline {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TrainingPipeline.class);

    /**
     * The rows of a run as uncached, unscaled blocks.
     *
     * @param test       the held-out test rows, or null
     * @param release    drops what the sources cached for reading, once the blocks are cached (may be null)
     * @param noRowsHint appended to "no training rows" when the training blocks turn out empty
     */
    public record Data(JavaRDD<Block> train, JavaRDD<Block> test, Runnable release, String noRowsHint) {
    }

    /**
     * What a run left.
     *
     * @param settings what a resumed run must share with this one (see {@link CheckpointWriter#settingsOf})
     */
    public record Outcome(Network network, TrainingResult result, long testRows, Map<String, String> settings) {
    }

    private final JavaSparkContext sc;
    private final Topology topology;
    private final TrainingConfig config;
    private Network startModel;
    private double[] startWeights;
    private Initializer initializer;
    private boolean scaleFeatures;
    private boolean scaleLabels;
    private Checkpoints checkpoints;
    private int checkpointEvery;
    private Checkpoints.Saved resumeFrom;
    private boolean keepPartitioning;
    private TrainingListener listener = TrainingListener.NONE;
    private BiConsumer<TrainingSet, TrainingSet> beforeTraining = (train, test) -> { };

    public TrainingPipeline(JavaSparkContext sc, Topology topology, TrainingConfig config) {
        this.sc = sc;
        this.topology = topology;
        this.config = config;
    }

    /** Start from this model's weights and train under its scaling (null: start fresh). */
    public TrainingPipeline startFrom(Network model) {
        if (model != null && !model.topology().equals(topology)) {
            throw new IllegalArgumentException("the model to start from is a " + model.topology() + " network, this run a " + topology);
        }
        this.startModel = model;
        return this;
    }

    /** Start from these flat weights (null: the initializer's); a starting model wins over them. */
    public TrainingPipeline startWeights(double[] weights) {
        this.startWeights = weights;
        return this;
    }

    /** How fresh weights are drawn (null: {@link Initializer#defaultFor}), seeded by the config's seed. */
    public TrainingPipeline initializer(Initializer init) {
        this.initializer = init;
        return this;
    }

    /** Standardize features and/or labels by the training rows' statistics (unless a model or checkpoint brings its scaling). */
    public TrainingPipeline standardize(boolean features, boolean labels) {
        this.scaleFeatures = features;
        this.scaleLabels = labels;
        return this;
    }

    /**
     * Write a checkpoint every {@code every} epochs (0: never) and continue from {@code resumeFrom} (null: start
     * fresh), a checkpoint the front door has already read (see {@link #resumePoint}): the command line needs its
     * network before it builds the run, so it is read once and handed over.
     */
    public TrainingPipeline checkpoints(Checkpoints dir, int every, Checkpoints.Saved resumeFrom) {
        this.checkpoints = dir;
        this.checkpointEvery = every;
        this.resumeFrom = resumeFrom;
        return this;
    }

    /** The latest complete checkpoint in {@code dir}, or null (logged) when there is none yet. */
    public static Checkpoints.Saved resumePoint(Checkpoints dir) {
        Checkpoints.Saved saved = dir.latest().orElse(null);
        if (saved == null) LOG.info("no checkpoint in {} yet: starting from the beginning", dir);
        return saved;
    }

    /**
     * Train on the input's partitions as they are. By default blocks in more partitions than the cluster has task slots
     * ({@code defaultParallelism}) are merged, contiguously, into that many: every step is one task per partition, and
     * 200 partitions (Spark's default after a shuffle or join) would pay 200 task launches a step.
     */
    public TrainingPipeline keepPartitioning(boolean keep) {
        this.keepPartitioning = keep;
        return this;
    }

    public TrainingPipeline listener(TrainingListener l) {
        this.listener = l;
        return this;
    }

    /** Called with the cached training and test sets (test may be null) just before the step loop starts. */
    public TrainingPipeline beforeTraining(BiConsumer<TrainingSet, TrainingSet> hook) {
        this.beforeTraining = hook;
        return this;
    }

    public Outcome run(Data data) {
        // Known before any row is read: no reason to cache the data first.
        if (config.earlyStopping() > 0 && data.test() == null) throw new IllegalArgumentException(TrainingConfig.EARLY_STOPPING_NEEDS_TEST_ROWS);
        // The driver holds every weight: a network too large for it is refused now, before any row is read or cached.
        DriverMemory.check(topology, config.optimizer(), sc.isLocal(), sc.defaultParallelism(), false, Runtime.getRuntime().maxMemory());
        Checkpoints.Saved saved = resumeFrom;
        // Decided before any block is scaled: a checkpoint's scaling is the one its weights were trained under.
        Scaling scaling = saved != null ? saved.network().scaling()
                : startModel != null ? startModel.scaling()
                : Standardizer.fit(data.train(), topology.inputSize(), topology.labelWidth(), scaleFeatures, scaleLabels);
        JavaRDD<Block> train = partitioned(scaling == null ? data.train() : Standardizer.apply(data.train(), scaling), "training");
        JavaRDD<Block> test = data.test() == null ? null
                : partitioned(scaling == null ? data.test() : Standardizer.apply(data.test(), scaling), "test");
        // A float run's products read float: its training rows are cached in float, half the memory and no conversion
        // per step. The test rows are only ever scored in double, so they stay as they are.
        if (config.precision() == Precision.FLOAT) train = train.map(Block::inSingle);
        TrainingSet trainSet = TrainingSet.cache(train, "train");
        TrainingSet testSet = test == null ? null : TrainingSet.cache(test, "test");
        // The blocks hold the rows now: the sources' caches would only double the memory.
        if (data.release() != null) data.release().run();
        try {
            if (trainSet.rows() == 0) throw new IllegalArgumentException("no training rows" + (data.noRowsHint() == null ? "" : data.noRowsHint()));
            Map<String, String> settings = CheckpointWriter.settingsOf(topology, config, trainSet);
            TrainingState start;
            if (saved != null) {
                Checkpoints.requireSameSettings(saved, settings);
                start = saved.state();
                LOG.info("resuming after epoch {} from {}", start.epoch(), saved.location());
            } else {
                start = TrainingState.fresh(initialWeights());
            }
            TrainingListener listeners = checkpoints == null || checkpointEvery <= 0 ? listener
                    : TrainingListener.all(listener, new CheckpointWriter(checkpoints, checkpointEvery, topology, scaling, settings));
            logBlas(trainSet);
            LOG.info(cacheLine(trainSet));
            beforeTraining.accept(trainSet, testSet);
            TrainingResult result = new Trainer(sc, config).fit(topology, start, trainSet, testSet, listeners);
            return new Outcome(new Network(topology, result.weights(), scaling), result, testSet == null ? 0 : testSet.rows(), settings);
        } finally {
            trainSet.unpersist();
            if (testSet != null) testSet.unpersist();
        }
    }

    private JavaRDD<Block> partitioned(JavaRDD<Block> blocks, String which) {
        int slots = sc.defaultParallelism();
        if (keepPartitioning || blocks.getNumPartitions() <= slots) return blocks;
        LOG.info("the {} rows' {} partitions are merged into {}, the task slots (--keep-partitioning, keepPartitioning keeps them)",
                which, blocks.getNumPartitions(), slots);
        return ContiguousCoalescer.toAtMost(blocks, slots);
    }

    /** What the cached training rows cost: MB, and bytes a nonzero (what sparse storage is proportional to). */
    static String cacheLine(TrainingSet train) {
        return String.format(java.util.Locale.ROOT, "cached %,d training rows: %.1f MB in blocks, %,d nonzero features (%.4f of the values),"
                + " %.1f bytes a nonzero; driver heap %.0f of %.0f MB used", train.rows(), train.bytes() / 1e6, train.nonzeros(),
                train.density(), train.nonzeros() == 0 ? 0.0 : (double) train.bytes() / train.nonzeros(),
                (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) / 1e6, Runtime.getRuntime().maxMemory() / 1e6);
    }

    /** Which BLAS the driver and every executor runs, measured where the steps will run; a warning with the remedy when slow. */
    private static void logBlas(TrainingSet train) {
        String driver = BlasReport.describeThisJvm();
        Map<String, String> executors = BlasReport.probeExecutors(train.blocks());
        LOG.info(BlasReport.summary(driver, executors));
        String slow = BlasReport.warning(driver, executors);
        if (slow != null) LOG.warn(slow);
    }

    private double[] initialWeights() {
        if (startModel != null) return startModel.weights().clone();
        if (startWeights != null) {
            if (startWeights.length != topology.numParams()) {
                throw new IllegalArgumentException("the initial weights (initialWeights) have " + startWeights.length + " values but a "
                        + topology + " network has " + topology.numParams());
            }
            return startWeights.clone();
        }
        Initializer init = initializer != null ? initializer : Initializer.defaultFor(topology);
        return init.initialize(topology, config.seed());
    }
}
