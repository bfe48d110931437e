package io.sparkbackprop.train;

/**
 * The knobs of the step loop, validated once. Build with {@link #defaults()} and the {@code with…}
 * methods; every value has a default a user can rely on.
 */
public record TrainingConfig(int epochs, int batchSize, OptimizerKind optimizer, double learningRate, long seed,
                             int evalEvery, int aggregationDepth, int chunkSize, int logEvery, double tol) {

    /** Epochs in a row without a tol-sized improvement of the best train loss before training stops. */
    public static final int TOL_PATIENCE = 3;

    public TrainingConfig {
        require(epochs > 0, "epochs must be positive, got " + epochs);
        require(batchSize >= 0, "batch size must be 0 (full batch) or positive, got " + batchSize);
        require(learningRate > 0 && Double.isFinite(learningRate), "learning rate must be a positive number, got " + learningRate);
        require(evalEvery > 0, "eval-every must be positive, got " + evalEvery);
        require(aggregationDepth > 0, "aggregation depth must be at least 1, got " + aggregationDepth);
        require(chunkSize > 0, "chunk size must be positive, got " + chunkSize);
        require(logEvery >= 0, "log-every must be 0 (automatic) or positive, got " + logEvery);
        require(tol >= 0, "tol must be 0 (never stop early) or positive, got " + tol);
    }

    private static void require(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException(message);
    }

    /** 20 epochs of Adam (lr 1e-3) on batches of 256 rows. */
    public static TrainingConfig defaults() {
        return new TrainingConfig(20, 256, OptimizerKind.ADAM, OptimizerKind.ADAM.defaultLearningRate(), 42L, 1, 2, 512, 0, 0.0);
    }

    public TrainingConfig withEpochs(int v) {
        return new TrainingConfig(v, batchSize, optimizer, learningRate, seed, evalEvery, aggregationDepth, chunkSize, logEvery, tol);
    }

    public TrainingConfig withBatchSize(int v) {
        return new TrainingConfig(epochs, v, optimizer, learningRate, seed, evalEvery, aggregationDepth, chunkSize, logEvery, tol);
    }

    /** Switches optimizer and takes its default learning rate. */
    public TrainingConfig withOptimizer(OptimizerKind v) {
        return new TrainingConfig(epochs, batchSize, v, v.defaultLearningRate(), seed, evalEvery, aggregationDepth, chunkSize, logEvery, tol);
    }

    public TrainingConfig withLearningRate(double v) {
        return new TrainingConfig(epochs, batchSize, optimizer, v, seed, evalEvery, aggregationDepth, chunkSize, logEvery, tol);
    }

    public TrainingConfig withSeed(long v) {
        return new TrainingConfig(epochs, batchSize, optimizer, learningRate, v, evalEvery, aggregationDepth, chunkSize, logEvery, tol);
    }

    public TrainingConfig withEvalEvery(int v) {
        return new TrainingConfig(epochs, batchSize, optimizer, learningRate, seed, v, aggregationDepth, chunkSize, logEvery, tol);
    }

    public TrainingConfig withAggregationDepth(int v) {
        return new TrainingConfig(epochs, batchSize, optimizer, learningRate, seed, evalEvery, v, chunkSize, logEvery, tol);
    }

    public TrainingConfig withChunkSize(int v) {
        return new TrainingConfig(epochs, batchSize, optimizer, learningRate, seed, evalEvery, aggregationDepth, v, logEvery, tol);
    }

    /** Stop when {@value #TOL_PATIENCE} epochs in a row fail to improve the best train loss by a relative tol; 0 = never. */
    public TrainingConfig withTol(double v) {
        return new TrainingConfig(epochs, batchSize, optimizer, learningRate, seed, evalEvery, aggregationDepth, chunkSize, logEvery, v);
    }

    public TrainingConfig withLogEvery(int v) {
        return new TrainingConfig(epochs, batchSize, optimizer, learningRate, seed, evalEvery, aggregationDepth, chunkSize, v, tol);
    }
}
