package io.sparkbackprop.ml;

import io.sparkbackprop.data.FeatureStorage;
import io.sparkbackprop.nn.Activation;
import io.sparkbackprop.nn.Initializer;
import io.sparkbackprop.nn.Precision;
import io.sparkbackprop.train.LearningRateSchedule;
import io.sparkbackprop.train.OptimizerKind;
import io.sparkbackprop.train.TrainingConfig;
import java.util.Arrays;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.param.StringArrayParam;
import scala.Function1;

/**
 * The Params every neural-network estimator and model shares, documented once here.
 * <p>
 * Spark finds a stage's params by reflection on its public no-argument methods returning a Param, and
 * two Params are the same param when they have the same parent uid and name. So each accessor can build
 * its Param on demand, and one interface serves four classes that extend different Spark bases.
 */
public interface NeuralNetParams extends Params {
    String[] INIT_MODES = {"auto", "he", "xavier", "scaled-normal"};

    /** A predicate Spark can serialize with the stage (a model travels to executors inside its UDF). */
    interface Check<T> extends java.util.function.Predicate<T>, java.io.Serializable {
    }

    static <T> Function1<T, Object> valid(Check<T> p) {
        return (Function1<T, Object> & java.io.Serializable) p::test;
    }

    private static String[] activationIds() {
        return Arrays.stream(Activation.values()).filter(a -> a != Activation.SOFTMAX).map(Activation::id).toArray(String[]::new);
    }

    default IntArrayParam hiddenLayers() {
        return new IntArrayParam(this, "hiddenLayers", "sizes of the hidden layers, input to output (empty: no hidden layer)",
                valid((int[] a) -> Arrays.stream(a).allMatch(n -> n > 0)));
    }

    default Param<String> activation() {
        return new Param<>(this, "activation", "activation of the hidden layers: " + String.join(", ", activationIds()),
                valid((String s) -> Arrays.asList(activationIds()).contains(s)));
    }

    default StringArrayParam activations() {
        return new StringArrayParam(this, "activations", "one activation per hidden layer (overrides activation); the "
                + "output activation follows the loss", valid((String[] a) -> Arrays.asList(activationIds()).containsAll(Arrays.asList(a))));
    }

    default Param<String> optimizer() {
        return new Param<>(this, "optimizer", "the optimizer: " + OptimizerKind.validIds(),
                valid((String s) -> Arrays.stream(OptimizerKind.values()).anyMatch(k -> k.id().equals(s))));
    }

    default DoubleParam momentum() {
        return new DoubleParam(this, "momentum", "μ of the momentum optimizer, in [0, 1)", checkedBy(v -> TrainingConfig.defaults().withMomentum((Double) v)));
    }

    default BooleanParam nesterov() {
        return new BooleanParam(this, "nesterov", "Nesterov's form of the momentum optimizer");
    }

    default DoubleParam weightDecay() {
        return new DoubleParam(this, "weightDecay", "decoupled weight decay of the adamw optimizer on the weight matrices (>= 0)",
                checkedBy(v -> TrainingConfig.defaults().withWeightDecay((Double) v)));
    }

    default Param<String> lrSchedule() {
        return new Param<>(this, "lrSchedule", "learning-rate schedule: " + LearningRateSchedule.Kind.validIds(),
                valid((String s) -> Arrays.stream(LearningRateSchedule.Kind.values()).anyMatch(k -> k.id().equals(s))));
    }

    default DoubleParam lrDecay() {
        return new DoubleParam(this, "lrDecay", "factor of step or exponential decay, in (0, 1]; 0 = the schedule's default "
                + "(0.5 for step, 0.95 for exponential)", checkedBy(v -> {
                    if ((Double) v != 0) LearningRateSchedule.of("step", (Double) v, 1, 0, 0);
                }));
    }

    default IntParam lrDecayEvery() {
        return new IntParam(this, "lrDecayEvery", "epochs between step decays (>= 1)", checkedBy(v -> LearningRateSchedule.of("step", null, (Integer) v, 0, 0)));
    }

    default DoubleParam lrMin() {
        return new DoubleParam(this, "lrMin", "learning rate the cosine schedule ends at (>= 0)", checkedBy(v -> LearningRateSchedule.of("cosine", null, 1, (Double) v, 0)));
    }

    default IntParam warmupEpochs() {
        return new IntParam(this, "warmupEpochs", "epochs of linear learning-rate warm-up before the schedule (>= 0)", checkedBy(v -> LearningRateSchedule.of("constant", null, 1, 0, (Integer) v)));
    }

    default DoubleParam l2() {
        return new DoubleParam(this, "l2", "L2 penalty λ: (λ/2)·ΣW² over the weight matrices is added to the objective (>= 0)",
                checkedBy(v -> TrainingConfig.defaults().withL2((Double) v)));
    }

    default DoubleParam dropout() {
        return new DoubleParam(this, "dropout", "probability of dropping a hidden unit's output while training, in [0, 1) "
                + "(inverted dropout; off when predicting)", checkedBy(v -> TrainingConfig.defaults().withDropout((Double) v)));
    }

    default DoubleParam clipNorm() {
        return new DoubleParam(this, "clipNorm", "largest Euclidean norm of a step's gradient; 0 = no clipping", checkedBy(v -> TrainingConfig.defaults().withClipNorm((Double) v)));
    }

    default IntParam earlyStopping() {
        return new IntParam(this, "earlyStopping", "patience: stop when the test loss (of the rows validationIndicatorCol marks) has not improved for this many epochs "
                + "and keep the best epoch's weights (needs validationIndicatorCol); 0 = off", checkedBy(v -> TrainingConfig.defaults().withEarlyStopping((Integer) v)));
    }

    default IntParam localSteps() {
        return new IntParam(this, "localSteps", "mini-batch steps each partition takes on its own per Spark job before the models "
                + "are averaged (>= 1; 1 = synchronous, one job per step; above 1 needs batchSize > 0)", checkedBy(v -> TrainingConfig.defaults().withLocalSteps((Integer) v)));
    }

    default int getLocalSteps() {
        return (Integer) getOrDefault(localSteps());
    }

    default Param<String> precision() {
        return new Param<>(this, "precision", "arithmetic of the training tasks' matrix products: " + Precision.validIds()
                + " (float: single-precision gemms; weights, optimizer and model stay double)",
                valid((String s) -> Arrays.stream(Precision.values()).anyMatch(v -> v.id().equals(s))));
    }

    default String getPrecision() {
        return getOrDefault(precision());
    }

    /** The precision, refused with the Param's name and the valid values (Spark's own message names neither value list). */
    static String checkPrecision(String v) {
        if (v == null || Arrays.stream(Precision.values()).noneMatch(p -> p.id().equals(v))) {
            throw new IllegalArgumentException("precision must be one of " + Precision.validIds() + ", got '" + v + "'");
        }
        return v;
    }

    default double getMomentum() {
        return (Double) getOrDefault(momentum());
    }

    default boolean getNesterov() {
        return (Boolean) getOrDefault(nesterov());
    }

    default double getWeightDecay() {
        return (Double) getOrDefault(weightDecay());
    }

    default String getLrSchedule() {
        return getOrDefault(lrSchedule());
    }

    default double getLrDecay() {
        return (Double) getOrDefault(lrDecay());
    }

    default int getLrDecayEvery() {
        return (Integer) getOrDefault(lrDecayEvery());
    }

    default double getLrMin() {
        return (Double) getOrDefault(lrMin());
    }

    default int getWarmupEpochs() {
        return (Integer) getOrDefault(warmupEpochs());
    }

    default double getL2() {
        return (Double) getOrDefault(l2());
    }

    default double getDropout() {
        return (Double) getOrDefault(dropout());
    }

    default double getClipNorm() {
        return (Double) getOrDefault(clipNorm());
    }

    default int getEarlyStopping() {
        return (Integer) getOrDefault(earlyStopping());
    }

    default DoubleParam stepSize() {
        return new DoubleParam(this, "stepSize", "learning rate (> 0)", checkedBy(v -> TrainingConfig.defaults().withLearningRate((Double) v)));
    }

    default IntParam maxIter() {
        return new IntParam(this, "maxIter", "maximum number of epochs (passes over the data, > 0)", checkedBy(v -> TrainingConfig.defaults().withEpochs((Integer) v)));
    }

    default IntParam batchSize() {
        return new IntParam(this, "batchSize", "rows per mini-batch step over all partitions; 0 = full batch", checkedBy(v -> TrainingConfig.defaults().withBatchSize((Integer) v)));
    }

    default LongParam seed() {
        return new LongParam(this, "seed", "random seed: initial weights, batch order");
    }

    default DoubleParam tol() {
        return new DoubleParam(this, "tol", "stop when 3 epochs in a row fail to improve the best train loss by this "
                + "fraction (>= 0; 0 never stops early)", checkedBy(v -> TrainingConfig.defaults().withTol((Double) v)));
    }

    default Param<String> initMode() {
        return new Param<>(this, "initMode", "weight initialisation: auto (he for relu, else xavier), he, xavier, scaled-normal",
                valid((String s) -> Arrays.asList(INIT_MODES).contains(s)));
    }

    default Param<String> initialModel() {
        return new Param<>(this, "initialModel", "path (any Hadoop filesystem) of a model.json to start from; its topology "
                + "must match");
    }

    default Param<Vector> initialWeights() {
        return new Param<>(this, "initialWeights", "flat initial weights (per layer W column-major, then b); "
                + "with standardization on (the default) the first layer meets standardized features");
    }

    default IntParam aggregationDepth() {
        return new IntParam(this, "aggregationDepth", "depth of treeAggregate (>= 1)", checkedBy(v -> TrainingConfig.defaults().withAggregationDepth((Integer) v)));
    }

    default IntParam blockSize() {
        return new IntParam(this, "blockSize", "rows stacked per cached block (> 0); not the rows per matrix product, which "
                + "are chunkSize (what Spark's MultilayerPerceptronClassifier calls blockSize)", ParamValidators.gt(0));
    }

    default Param<String> featureStorage() {
        return new Param<>(this, "featureStorage", "how cached blocks hold the features: auto (default: sparse vectors as "
                + "compressed rows when under " + FeatureStorage.SPARSE_BELOW + " of a block's values are nonzero, dense input dense), "
                + "dense or sparse; the model learned is the same",
                valid((String s) -> Arrays.stream(FeatureStorage.values()).anyMatch(k -> k.id().equals(s))));
    }

    default FeatureStorage getFeatureStorage() {
        return FeatureStorage.of((String) getOrDefault(featureStorage()));
    }

    default Param<String> sparseUpdates() {
        return new Param<>(this, "sparseUpdates", "on sparse input: lazy (default) updates only the first layer's columns a step's "
                + "rows touch, with their optimizer slots (PyTorch's SparseAdam semantics), and ships only those; exact updates every "
                + "weight every step, as on dense input", valid((String s) -> "lazy".equals(s) || "exact".equals(s)));
    }

    default String getSparseUpdates() {
        return (String) getOrDefault(sparseUpdates());
    }

    default BooleanParam keepPartitioning() {
        return new BooleanParam(this, "keepPartitioning", "train on the input's partitions as they are; false (default) merges "
                + "more partitions than the task slots (defaultParallelism) into that many, since each step runs a task per partition");
    }

    default IntParam chunkSize() {
        return new IntParam(this, "chunkSize", "rows per matrix product of the training kernel (> 0): a cached block or a "
                + "mini-batch is run through the layers in chunks of this many rows (Spark's MultilayerPerceptronClassifier "
                + "calls this blockSize)", checkedBy(v -> TrainingConfig.defaults().withChunkSize((Integer) v)));
    }

    default Param<String> validationIndicatorCol() {
        return new Param<>(this, "validationIndicatorCol", "boolean column: true marks held-out rows whose loss is "
                + "reported per epoch instead of training on them");
    }

    default Param<String> weightCol() {
        return new Param<>(this, "weightCol", "weight column name; unset or empty: every row weighs 1");
    }

    default BooleanParam standardization() {
        return new BooleanParam(this, "standardization", "standardize the features with the training rows' mean and "
                + "deviation before training (kept in the model; default true, as Spark's LinearRegression; a fit from "
                + "initialModel keeps that model's scaling)");
    }

    default Param<String> checkpointDir() {
        return new Param<>(this, "checkpointDir", "directory (any Hadoop filesystem) for training checkpoints; a fit "
                + "continues from the latest checkpoint there when its settings match; empty: no checkpoints");
    }

    default IntParam checkpointInterval() {
        return new IntParam(this, "checkpointInterval", "epochs between checkpoints (>= 1), or -1 to disable",
                valid((Object i) -> (Integer) i == -1 || (Integer) i >= 1));
    }

    default String getCheckpointDir() {
        return getOrDefault(checkpointDir());
    }

    default int getCheckpointInterval() {
        return (Integer) getOrDefault(checkpointInterval());
    }

    default int[] getHiddenLayers() {
        return (int[]) getOrDefault(hiddenLayers());
    }

    default String getActivation() {
        return getOrDefault(activation());
    }

    default String[] getActivations() {
        return (String[]) getOrDefault(activations());
    }

    default String getOptimizer() {
        return getOrDefault(optimizer());
    }

    default double getStepSize() {
        return (Double) getOrDefault(stepSize());
    }

    default int getMaxIter() {
        return (Integer) getOrDefault(maxIter());
    }

    default int getBatchSize() {
        return (Integer) getOrDefault(batchSize());
    }

    default long getSeed() {
        return (Long) getOrDefault(seed());
    }

    default double getTol() {
        return (Double) getOrDefault(tol());
    }

    default String getInitMode() {
        return getOrDefault(initMode());
    }

    default String getInitialModel() {
        return getOrDefault(initialModel());
    }

    default Vector getInitialWeights() {
        return getOrDefault(initialWeights());
    }

    default int getAggregationDepth() {
        return (Integer) getOrDefault(aggregationDepth());
    }

    default int getBlockSize() {
        return (Integer) getOrDefault(blockSize());
    }

    default boolean getKeepPartitioning() {
        return (Boolean) getOrDefault(keepPartitioning());
    }

    default int getChunkSize() {
        return (Integer) getOrDefault(chunkSize());
    }

    default String getValidationIndicatorCol() {
        return getOrDefault(validationIndicatorCol());
    }

    default String getWeightCol() {
        return getOrDefault(weightCol());
    }

    default boolean getStandardization() {
        return (Boolean) getOrDefault(standardization());
    }

    /**
     * A Param validator that runs the setting's own check (in {@link TrainingConfig} or {@link LearningRateSchedule}),
     * so that a bad value is refused when set with the same message the command line shows, not Spark's generic one.
     */
    static Function1<Object, Object> checkedBy(SettingCheck check) {
        return valid((Object v) -> {
            check.accept(v);
            return true;
        });
    }

    /** A setting's own check: throws IllegalArgumentException with its message when the value is out of range. */
    interface SettingCheck extends java.util.function.Consumer<Object>, java.io.Serializable {
    }

    /** The defaults: a user who sets nothing else gets a sound model in reasonable time. */
    static void setDefaults(NeuralNetParams p) {
        // Every estimator and model is built through here, before its Spark ML code can run: the JVM's BLAS is chosen
        // now (the bundled OpenBLAS), before Spark ML can make netlib pick another.
        io.sparkbackprop.nn.Blas.chooseFirst();
        p.setDefault(p.hiddenLayers(), new int[] {64, 64});
        p.setDefault(p.activation(), "relu");
        p.setDefault(p.optimizer(), "adam");
        p.setDefault(p.stepSize(), 3e-3);
        p.setDefault(p.maxIter(), 50);
        p.setDefault(p.batchSize(), 256);
        p.setDefault(p.seed(), (long) p.getClass().getName().hashCode());
        p.setDefault(p.tol(), 0.0);
        p.setDefault(p.initMode(), "auto");
        p.setDefault(p.aggregationDepth(), 1);
        p.setDefault(p.blockSize(), 4096);
        p.setDefault(p.featureStorage(), FeatureStorage.AUTO.id());
        p.setDefault(p.sparseUpdates(), "lazy");
        p.setDefault(p.chunkSize(), TrainingConfig.defaults().chunkSize());
        p.setDefault(p.keepPartitioning(), false);
        p.setDefault(p.weightCol(), "");
        p.setDefault(p.validationIndicatorCol(), "");
        p.setDefault(p.standardization(), true);
        p.setDefault(p.checkpointDir(), "");
        p.setDefault(p.checkpointInterval(), 10);
        p.setDefault(p.momentum(), OptimizerKind.Hyper.DEFAULT_MOMENTUM);
        p.setDefault(p.nesterov(), false);
        p.setDefault(p.weightDecay(), OptimizerKind.Hyper.DEFAULT_WEIGHT_DECAY);
        p.setDefault(p.lrSchedule(), "constant");
        p.setDefault(p.lrDecay(), 0.0);
        p.setDefault(p.lrDecayEvery(), LearningRateSchedule.DEFAULT_DECAY_EVERY);
        p.setDefault(p.lrMin(), 0.0);
        p.setDefault(p.warmupEpochs(), 0);
        p.setDefault(p.l2(), 0.0);
        p.setDefault(p.dropout(), 0.0);
        p.setDefault(p.clipNorm(), 0.0);
        p.setDefault(p.earlyStopping(), 0);
        p.setDefault(p.localSteps(), 1);
        p.setDefault(p.precision(), Precision.DOUBLE.id());
    }

    /** The initialiser initMode names, or null for auto. */
    default Initializer initializer() {
        String mode = getInitMode();
        return "auto".equals(mode) ? null : Initializer.fromId(mode);
    }
}
