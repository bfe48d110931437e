package io.sparkbackprop.train;

import io.sparkbackprop.nn.Precision;
import io.sparkbackprop.nn.Topology;
import java.util.function.Consumer;

/**
 * The knobs of the step loop, validated once, here: each message names the setting as the command line
 * ({@code --option}) and the Estimators (Param) call it, and both front doors show it as it is. Build with
 * {@link #defaults()} and the {@code with…} methods; every value has a default a user can rely on.
 *
 * @param chunkSize     rows per matrix product: blocks and mini-batches run through the layers this many rows at a time
 * @param momentum      μ of the momentum optimizer
 * @param nesterov      Nesterov's look-ahead form of momentum
 * @param weightDecay   AdamW's decoupled weight decay λ (other optimizers ignore it)
 * @param schedule      how the learning rate changes from step to step
 * @param l2            λ of an L2 penalty (λ/2)·ΣW² on the weight matrices (not the biases); 0 = none
 * @param dropout       probability of zeroing a hidden unit's output while training (inverted dropout); 0 = none
 * @param clipNorm      largest Euclidean norm of a step's gradient, scaled down to it when longer; 0 = no clipping
 * @param earlyStopping stop after this many evaluations of the test loss without a new best and keep the best
 *                      weights; 0 = off
 * @param localSteps    mini-batch steps each partition takes on its own per Spark job before the driver averages
 *                      the models (see {@link LocalStepsJob}); 1 = synchronous, one job per step
 * @param precision     arithmetic of the training tasks' products (weights and optimizer stay double)
 * @param lazySparseUpdates on sparse input (fewer than a tenth of the training values nonzero), a synchronous step
 *                      updates only the first layer's columns that the step's rows touch, with their optimizer slots
 *                      (PyTorch's SparseAdam semantics), and ships only those; false: every weight every step, exactly
 *                      as on dense input (see {@link SparseSteps})
 */
public record TrainingConfig(int epochs, int batchSize, OptimizerKind optimizer, double learningRate, long seed,
                             int evalEvery, int aggregationDepth, int chunkSize, int logEvery, double tol,
                             double momentum, boolean nesterov, double weightDecay, LearningRateSchedule schedule,
                             double l2, double dropout, double clipNorm, int earlyStopping,
                             int localSteps, Precision precision, boolean lazySparseUpdates) implements java.io.Serializable {

    /** Epochs in a row without a tol-sized improvement of the best train loss before training stops. */
    public static final int TOL_PATIENCE = 3;

    public TrainingConfig {
        require(epochs > 0, "epochs (--epochs, maxIter) must be positive, got " + epochs);
        require(batchSize >= 0, "the batch size (--batch-size, batchSize) must be 0 (full batch) or positive, got " + batchSize);
        require(learningRate > 0 && Double.isFinite(learningRate),
                "the learning rate (--learning-rate, stepSize) must be a positive number, got " + learningRate);
        require(evalEvery > 0, "--eval-every must be positive, got " + evalEvery);
        require(aggregationDepth > 0, "the aggregation depth (--aggregation-depth, aggregationDepth) must be at least 1, got "
                + aggregationDepth);
        require(chunkSize > 0, "the chunk size (--chunk-size, chunkSize) must be positive, got " + chunkSize);
        require(logEvery >= 0, "--log-every must be 0 (automatic) or positive, got " + logEvery);
        require(tol >= 0 && Double.isFinite(tol), "tol (--tol, tol) must be 0 (off) or positive, got " + tol);
        require(momentum >= 0 && momentum < 1, "momentum (--momentum, momentum) must be in [0, 1), got " + momentum);
        require(!nesterov || optimizer == OptimizerKind.MOMENTUM,
                "nesterov (--nesterov, nesterov) applies to the momentum optimizer, not " + optimizer.id());
        require(weightDecay >= 0 && Double.isFinite(weightDecay),
                "the weight decay (--weight-decay, weightDecay) must be 0 or positive, got " + weightDecay);
        require(schedule != null, "a learning-rate schedule is required");
        schedule.check(epochs, learningRate);
        require(l2 >= 0 && Double.isFinite(l2), "l2 (--l2, l2) must be 0 (none) or positive, got " + l2);
        require(dropout >= 0 && dropout < 1, "dropout (--dropout, dropout) must be in [0, 1), got " + dropout);
        require(clipNorm >= 0 && Double.isFinite(clipNorm), "the clip norm (--clip-norm, clipNorm) must be 0 (no clipping) or positive, got "
                + clipNorm);
        require(earlyStopping >= 0, "early stopping (--early-stopping, earlyStopping) must be 0 (off) or a positive number of "
                + "evaluations, got " + earlyStopping);
        require(localSteps >= 1, "local steps (--local-steps, localSteps) must be at least 1 (1 = synchronous), got " + localSteps);
        require(localSteps == 1 || batchSize > 0, localStepsNeedMiniBatches(localSteps, batchSize, -1));
        require(precision != null, "a precision is required");
    }

    /**
     * Local steps group an epoch's mini-batch steps into one job; a full batch has one step per epoch, so there is
     * nothing to group (and one local step per partition, averaged, would only be a worse synchronous step). The one
     * message for it, whether the batch size is 0 or, known once the data is, covers all {@code rows} (-1: unknown).
     */
    static String localStepsNeedMiniBatches(int localSteps, int batchSize, long rows) {
        return "local steps " + localSteps + " (--local-steps, localSteps) group mini-batch steps into one Spark job, but batch size "
                + batchSize + " (--batch-size, batchSize) makes a full batch, one step per epoch" + (rows >= 0 ? ", over all " + rows
                + " training rows" : "") + ": give a batch size above 0 and below the training rows, or local steps 1";
    }

    /** Early stopping watches the held-out rows' loss: the one message for a run that has none. */
    static final String EARLY_STOPPING_NEEDS_TEST_ROWS = "early stopping (--early-stopping, earlyStopping) watches the test loss,"
            + " but there are no test rows: give --test-data or a --test-fraction above 0 (Estimators: validationIndicatorCol and"
            + " rows marked true in it), or turn early stopping off (0)";

    private static void require(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException(message);
    }

    /**
     * 20 epochs of Adam (lr 1e-3) on batches of 256 rows, constant rate, no regularisation. treeAggregate depth 1:
     * a second level is a shuffle stage per step, measured 4× slower per batch-1 step on 16 partitions (bench
     * levers section); it pays only when the driver cannot take every partition's buffer itself.
     */
    public static TrainingConfig defaults() {
        return new TrainingConfig(20, 256, OptimizerKind.ADAM, OptimizerKind.ADAM.defaultLearningRate(), 42L, 1, 1, 512, 0, 0.0,
                OptimizerKind.Hyper.DEFAULT_MOMENTUM, false, OptimizerKind.Hyper.DEFAULT_WEIGHT_DECAY, LearningRateSchedule.constant(),
                0, 0, 0, 0, 1, Precision.DOUBLE, true);
    }

    /** A fresh optimizer for t's weights: the driver's, and each partition's in local steps, made the same way. */
    public Optimizer newOptimizer(Topology t) {
        return optimizer.create(t.numParams(), learningRate, hyper(t.weightMask()));
    }

    /** L2 and clipping, on t's weight matrices (not its biases). */
    GradientAdjustment gradientAdjustment(Topology t) {
        return new GradientAdjustment(l2, clipNorm, t.weightMask());
    }

    /** The scheduled learning rate of step {@code step} (0-based) of {@code epoch}, an epoch having {@code stepsPerEpoch}. */
    double rate(int epoch, int step, int stepsPerEpoch) {
        return schedule.rate(learningRate, epoch, step, stepsPerEpoch, epochs);
    }

    /** The optimizer's own settings, with the weights that weight decay applies to. */
    public OptimizerKind.Hyper hyper(boolean[] decayed) {
        return new OptimizerKind.Hyper(momentum, nesterov, weightDecay, decayed);
    }

    /** A mutable copy, so that each with-method names only the field it changes. */
    private static final class Builder {
        int epochs, batchSize, evalEvery, aggregationDepth, chunkSize, logEvery, earlyStopping;
        int localSteps;
        OptimizerKind optimizer;
        double learningRate, tol, momentum, weightDecay, l2, dropout, clipNorm;
        long seed;
        boolean nesterov;
        LearningRateSchedule schedule;
        Precision precision;
        boolean lazySparseUpdates;

        Builder(TrainingConfig c) {
            epochs = c.epochs; batchSize = c.batchSize; optimizer = c.optimizer; learningRate = c.learningRate; seed = c.seed;
            evalEvery = c.evalEvery; aggregationDepth = c.aggregationDepth; chunkSize = c.chunkSize; logEvery = c.logEvery;
            tol = c.tol; momentum = c.momentum; nesterov = c.nesterov; weightDecay = c.weightDecay; schedule = c.schedule;
            l2 = c.l2; dropout = c.dropout; clipNorm = c.clipNorm; earlyStopping = c.earlyStopping;
            localSteps = c.localSteps;
            precision = c.precision;
            lazySparseUpdates = c.lazySparseUpdates;
        }

        TrainingConfig build() {
            return new TrainingConfig(epochs, batchSize, optimizer, learningRate, seed, evalEvery, aggregationDepth, chunkSize,
                    logEvery, tol, momentum, nesterov, weightDecay, schedule, l2, dropout, clipNorm, earlyStopping,
                    localSteps, precision, lazySparseUpdates);
        }
    }

    private TrainingConfig with(Consumer<Builder> change) {
        Builder b = new Builder(this);
        change.accept(b);
        return b.build();
    }

    public TrainingConfig withEpochs(int v) {
        return with(b -> b.epochs = v);
    }

    public TrainingConfig withBatchSize(int v) {
        return with(b -> b.batchSize = v);
    }

    /** Switches optimizer and takes its default learning rate. */
    public TrainingConfig withOptimizer(OptimizerKind v) {
        return with(b -> {
            b.optimizer = v;
            b.learningRate = v.defaultLearningRate();
            if (v != OptimizerKind.MOMENTUM) b.nesterov = false;
        });
    }

    public TrainingConfig withLearningRate(double v) {
        return with(b -> b.learningRate = v);
    }

    public TrainingConfig withSeed(long v) {
        return with(b -> b.seed = v);
    }

    public TrainingConfig withEvalEvery(int v) {
        return with(b -> b.evalEvery = v);
    }

    public TrainingConfig withAggregationDepth(int v) {
        return with(b -> b.aggregationDepth = v);
    }

    public TrainingConfig withChunkSize(int v) {
        return with(b -> b.chunkSize = v);
    }

    /** Stop when {@value #TOL_PATIENCE} epochs in a row fail to improve the best train loss by a relative tol; 0 = never. */
    public TrainingConfig withTol(double v) {
        return with(b -> b.tol = v);
    }

    public TrainingConfig withLogEvery(int v) {
        return with(b -> b.logEvery = v);
    }

    public TrainingConfig withMomentum(double v) {
        return with(b -> b.momentum = v);
    }

    public TrainingConfig withNesterov(boolean v) {
        return with(b -> b.nesterov = v);
    }

    public TrainingConfig withWeightDecay(double v) {
        return with(b -> b.weightDecay = v);
    }

    public TrainingConfig withSchedule(LearningRateSchedule v) {
        return with(b -> b.schedule = v);
    }

    public TrainingConfig withL2(double v) {
        return with(b -> b.l2 = v);
    }

    public TrainingConfig withDropout(double v) {
        return with(b -> b.dropout = v);
    }

    public TrainingConfig withClipNorm(double v) {
        return with(b -> b.clipNorm = v);
    }

    public TrainingConfig withEarlyStopping(int patience) {
        return with(b -> b.earlyStopping = patience);
    }

    /** K mini-batch steps per partition per Spark job, models averaged after each job; 1 = synchronous. */
    public TrainingConfig withLocalSteps(int k) {
        return with(b -> b.localSteps = k);
    }

    public TrainingConfig withPrecision(Precision v) {
        return with(b -> b.precision = v);
    }

    /** Lazy (true, the default) or exact updates of a sparse first layer's untouched columns. */
    public TrainingConfig withSparseUpdates(String id) {
        require("lazy".equals(id) || "exact".equals(id), "sparse updates (--sparse-updates, sparseUpdates) must be lazy or exact, got '"
                + id + "'");
        return withLazySparseUpdates("lazy".equals(id));
    }

    /** Lazy (true, the default) or exact updates of a sparse first layer's untouched columns. */
    public TrainingConfig withLazySparseUpdates(boolean v) {
        return with(b -> b.lazySparseUpdates = v);
    }
}
