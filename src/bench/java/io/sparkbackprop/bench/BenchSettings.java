package io.sparkbackprop.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * What a bench run measures and on how much.
 *
 * @param rows           training rows of generated data, or at most this many digits with {@code mnist}
 * @param hidden         hidden layer sizes (784-…-10)
 * @param chunkSize      rows per BLAS product in both systems: our kernel's chunk size, what MLlib calls blockSize
 * @param partitions     partitions of the data; 0 = Spark's default parallelism
 * @param mnist          a directory with the MNIST IDX files, or null for generated data
 * @param iterations     full-batch iterations timed (by difference with a 1-iteration run)
 * @param repeats        how often that timing is repeated (the median counts)
 * @param steps          batch-1 steps for the per-step overhead and the memory figures
 * @param targetAccuracy test accuracy both systems race to
 * @param batchSize      our mini-batch for that race (Adam)
 * @param learningRate   our Adam learning rate for that race
 * @param maxEpochs      our epochs at most in that race
 * @param mllibMaxIter   MLlib l-bfgs iterations at most in that race
 * @param speedupRows    generated rows for the speedup section: enough that compute dominates a full-batch step
 * @param speedupSteps   full-batch steps timed on each of local[1] and local[2]
 * @param gemmSeconds    how long each core runs the BLAS reference
 * @param sections       which of {@link #ALL_SECTIONS} to run
 * @param localSteps     K of our third runner in the accuracy race: Adam with --local-steps K
 * @param localBatchSize that runner's mini-batch
 * @param localLearningRate that runner's Adam learning rate
 * @param targets        what each figure's ratio must meet
 * @param partitionsRows generated rows the partitions section trains on, in 200 partitions and in defaultParallelism
 * @param fewRows        the rows section's small set: cached rows its step time is compared with
 * @param manyRows       the rows section's large set
 * @param wideWidth      the pytorch section's wide network: 784, two relu layers of this width, 10
 * @param scoringRows    the scoring section's cached rows
 */
public record BenchSettings(int rows, int[] hidden, int chunkSize, int partitions, Path mnist, int iterations, int repeats, int steps,
                            double targetAccuracy, int batchSize, double learningRate, int maxEpochs, int mllibMaxIter,
                            int speedupRows, int speedupSteps, double gemmSeconds, long seed, Set<String> sections,
                            int localSteps, int localBatchSize, double localLearningRate, Targets targets,
                            int partitionsRows, int fewRows, int manyRows, int wideWidth, int scoringRows) {
    public static final List<String> ALL_SECTIONS = List.of("mllib", "accuracy", "blas", "overhead", "memory", "speedup", "levers",
            "partitions", "rows", "pytorch", "scoring", "sparse");
    /** The local-steps runner's defaults, from a sweep on the 8,000 digits (README, Performance). */
    public static final int DEFAULT_LOCAL_STEPS = 8;
    public static final int DEFAULT_LOCAL_BATCH_SIZE = 512;
    public static final double DEFAULT_LOCAL_LEARNING_RATE = 0.01;
    /** The partitions section's rows: 20 steps an epoch at batch 1,024, so that 200 tasks a step (kept) show. */
    public static final int DEFAULT_PARTITIONS_ROWS = 20_000;
    /** The rows section's two sets: the step time at two million cached rows against a twentieth of them. */
    public static final int DEFAULT_FEW_ROWS = 100_000;
    public static final int DEFAULT_MANY_ROWS = 2_000_000;
    /** The wide network of the speed issue: 784-2048-2048-10, 5.8 million weights. */
    public static final int DEFAULT_WIDE_WIDTH = 2048;
    /** The scoring section's rows: the scoring issue's 200,000. */
    public static final int DEFAULT_SCORING_ROWS = 200_000;

    /** With the local-steps runner's and the data-scale sections' defaults and the bench's own targets. */
    public BenchSettings(int rows, int[] hidden, int chunkSize, int partitions, Path mnist, int iterations, int repeats, int steps,
                         double targetAccuracy, int batchSize, double learningRate, int maxEpochs, int mllibMaxIter,
                         int speedupRows, int speedupSteps, double gemmSeconds, long seed, Set<String> sections) {
        this(rows, hidden, chunkSize, partitions, mnist, iterations, repeats, steps, targetAccuracy, batchSize, learningRate, maxEpochs,
                mllibMaxIter, speedupRows, speedupSteps, gemmSeconds, seed, sections, DEFAULT_LOCAL_STEPS, DEFAULT_LOCAL_BATCH_SIZE,
                DEFAULT_LOCAL_LEARNING_RATE, Targets.defaults(), DEFAULT_PARTITIONS_ROWS, DEFAULT_FEW_ROWS, DEFAULT_MANY_ROWS,
                DEFAULT_WIDE_WIDTH, DEFAULT_SCORING_ROWS);
    }

    public BenchSettings {
        require(rows >= 10, "--rows must be at least 10, got " + rows);
        require(hidden.length > 0, "--layers needs at least one hidden layer");
        for (int h : hidden) require(h > 0, "--layers sizes must be positive");
        require(chunkSize > 0, "--chunk-size must be positive, got " + chunkSize);
        require(partitions >= 0, "--partitions must be 0 (automatic) or positive, got " + partitions);
        require(iterations >= 2, "--iterations must be at least 2 (they are timed against a 1-iteration run), got " + iterations);
        require(repeats >= 1, "--repeats must be positive, got " + repeats);
        require(steps >= 10, "--steps must be at least 10, got " + steps);
        require(targetAccuracy > 0 && targetAccuracy < 1, "--target-accuracy must be in (0, 1), got " + targetAccuracy);
        require(batchSize > 0, "--batch-size must be positive, got " + batchSize);
        require(learningRate > 0, "--learning-rate must be positive, got " + learningRate);
        require(maxEpochs > 0, "--max-epochs must be positive, got " + maxEpochs);
        require(mllibMaxIter > 0, "--mllib-max-iter must be positive, got " + mllibMaxIter);
        require(speedupRows >= 10, "--speedup-rows must be at least 10, got " + speedupRows);
        require(speedupSteps > 0, "--speedup-steps must be positive, got " + speedupSteps);
        require(gemmSeconds > 0, "gemm seconds must be positive");
        for (String s : sections) {
            require(ALL_SECTIONS.contains(s), "unknown section '" + s + "'; sections: " + String.join(", ", ALL_SECTIONS));
        }
        require(localSteps >= 2, "--local-steps must be at least 2 (1 is the synchronous runner), got " + localSteps);
        require(localBatchSize > 0, "--local-batch-size must be positive, got " + localBatchSize);
        require(localLearningRate > 0, "--local-learning-rate must be positive, got " + localLearningRate);
        require(targets != null, "no targets");
        require(partitionsRows >= 10, "the partitions section needs at least 10 rows, got " + partitionsRows);
        require(fewRows >= 10 && manyRows > fewRows, "the rows section compares more rows with fewer, got " + manyRows + " vs " + fewRows);
        require(wideWidth > 0, "the wide network's width must be positive, got " + wideWidth);
        require(scoringRows > 0, "the scoring section's rows must be positive, got " + scoringRows);
        hidden = hidden.clone();
        sections = Set.copyOf(sections);
    }

    private static void require(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException(message);
    }

    boolean runs(String section) {
        return sections.contains(section);
    }

    /** The target of the figure with this key, or null. */
    Target target(String key) {
        return targets.get(key);
    }

    /** 784, the hidden sizes, 10. */
    int[] layerSizes() {
        int[] sizes = new int[hidden.length + 2];
        sizes[0] = MnistFiles.PIXELS;
        System.arraycopy(hidden, 0, sizes, 1, hidden.length);
        sizes[sizes.length - 1] = MnistFiles.CLASSES;
        return sizes;
    }
}
