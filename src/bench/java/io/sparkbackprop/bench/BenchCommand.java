package io.sparkbackprop.bench;

import io.sparkbackprop.cli.SparkMasterOption;
import io.sparkbackprop.io.OutputDirectory;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code bench}: our trainer beside Spark MLlib's perceptron, the BLAS, Spark's per-job floor and itself on
 * one core, in one run, printing ratios with PASS/MISS against the targets and writing bench.csv and
 * bench.json.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, version = "spark-backprop bench 0.1.0", sortOptions = false,
        description = {"Measure training speed against baselines measured in the same run, on MNIST-shaped data "
                + "(784-128-10): MLlib's MultilayerPerceptronClassifier (gd per iteration; l-bfgs to a test accuracy), the BLAS's "
                + "dgemm on the kernel's shapes, an empty treeAggregate job, local[1]. Prints a table of ratios with PASS/MISS "
                + "against the targets and writes bench.csv and bench.json.",
                "Sections: " + "mllib, accuracy, blas, overhead, memory, speedup, levers, partitions, rows."})
public final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    SparkMasterOption master = new SparkMasterOption();

    @Option(names = "--mnist", paramLabel = "DIR", description = "Directory with the MNIST IDX files (t10k-images-idx3-ubyte[.gz] and labels, "
            + "optionally train-*; names may start with mnist-). Default: generated data of MNIST's shape.")
    Path mnist;

    @Option(names = "--rows", defaultValue = "20000", description = "Training rows of generated data, or at most this many digits. Default: ${DEFAULT-VALUE}")
    int rows;

    @Option(names = "--layers", defaultValue = "128", split = ",", description = "Hidden layer sizes. Default: ${DEFAULT-VALUE}")
    int[] layers;

    @Option(names = "--chunk-size", defaultValue = "128", description = "Rows per BLAS product in both systems: our kernel's chunk size, "
            + "what MLlib calls blockSize. Default: ${DEFAULT-VALUE}")
    int chunkSize;

    @Option(names = "--partitions", defaultValue = "0", description = "Data partitions; 0 = Spark's default parallelism. Default: ${DEFAULT-VALUE}")
    int partitions;

    @Option(names = "--iterations", defaultValue = "20", description = "Full-batch iterations timed per system. Default: ${DEFAULT-VALUE}")
    int iterations;

    @Option(names = "--repeats", defaultValue = "3", description = "Repeats of the full-batch timing (the median counts). Default: ${DEFAULT-VALUE}")
    int repeats;

    @Option(names = "--steps", defaultValue = "1000", description = "Batch-1 steps for the per-step overhead and memory figures. Default: ${DEFAULT-VALUE}")
    int steps;

    @Option(names = "--target-accuracy", defaultValue = "0.95", description = "Test accuracy both systems race to. Default: ${DEFAULT-VALUE}")
    double targetAccuracy;

    @Option(names = "--batch-size", defaultValue = "1024", description = "Our mini-batch in the accuracy race. Default: ${DEFAULT-VALUE}")
    int batchSize;

    @Option(names = "--learning-rate", defaultValue = "0.02", description = "Our Adam learning rate in the accuracy race. Default: ${DEFAULT-VALUE}")
    double learningRate;

    @Option(names = "--local-steps", defaultValue = "" + BenchSettings.DEFAULT_LOCAL_STEPS, paramLabel = "K",
            description = "K of our second runner in the accuracy race: Adam with --local-steps K (K steps per Spark job, models "
            + "averaged). Default: ${DEFAULT-VALUE}")
    int localSteps;

    @Option(names = "--local-batch-size", defaultValue = "" + BenchSettings.DEFAULT_LOCAL_BATCH_SIZE,
            description = "That runner's mini-batch. Default: ${DEFAULT-VALUE}")
    int localBatchSize;

    @Option(names = "--local-learning-rate", defaultValue = "" + BenchSettings.DEFAULT_LOCAL_LEARNING_RATE,
            description = "That runner's Adam learning rate. Default: ${DEFAULT-VALUE}")
    double localLearningRate;

    @Option(names = "--max-epochs", defaultValue = "50", description = "Our epochs at most in the accuracy race. Default: ${DEFAULT-VALUE}")
    int maxEpochs;

    @Option(names = "--mllib-max-iter", defaultValue = "150", description = "MLlib l-bfgs iterations at most in the accuracy race. Default: ${DEFAULT-VALUE}")
    int mllibMaxIter;

    @Option(names = "--speedup-rows", defaultValue = "80000", description = "Generated rows for local[1] vs local[2]: enough that "
            + "compute dominates a full-batch step. Default: ${DEFAULT-VALUE}")
    int speedupRows;

    @Option(names = "--speedup-steps", defaultValue = "10", description = "Full-batch steps timed on each of local[1] and local[2]. Default: ${DEFAULT-VALUE}")
    int speedupSteps;

    @Option(names = "--sections", split = ",", description = "Run only these sections (comma-separated). Default: all.")
    List<String> sections;

    @Option(names = "--seed", defaultValue = "42", description = "Seed for data, initial weights and batch order. Default: ${DEFAULT-VALUE}")
    long seed;

    @Option(names = "--quick", description = "Tiny sizes (400 rows, a few iterations and steps; the rows section 200,000 vs 10,000 rows): checks that "
            + "the bench runs, measures nothing useful.")
    boolean quick;

    @Option(names = "--targets", paramLabel = "FILE", description = "Targets to use instead of the bench's own (its "
            + Targets.RESOURCE + "): KEY = <= X or >= X lines, a key per figure (the report's key column); an empty value "
            + "removes a target. Keys the file leaves out keep the bench's target.")
    Path targets;

    @Option(names = "--output", description = "Directory for bench.csv and bench.json. Default: a new runs/bench/<timestamp> folder.")
    Path output;

    @Option(names = "--overwrite", description = "Replace a non-empty --output directory.")
    boolean overwrite;

    @Override
    public Integer call() throws Exception {
        BenchSettings settings = settings();
        Path target = output != null ? output : OutputDirectory.freshRunDirectory(Paths.get("runs", "bench"), Clock.systemDefaultZone());
        OutputDirectory.checkWritable(target, overwrite);
        BenchReport report = Bench.run(master.conf("spark-backprop bench"), settings);
        spec.commandLine().getOut().print(report.table());
        spec.commandLine().getOut().flush();
        OutputDirectory.commit(target, overwrite, dir -> {
            report.writeCsv(dir.resolve("bench.csv"));
            report.writeJson(dir.resolve("bench.json"));
        });
        spec.commandLine().getOut().println("wrote " + target.toAbsolutePath().resolve("bench.csv") + " and bench.json");
        return 0;
    }

    BenchSettings settings() throws IOException {
        Targets goals = targets == null ? Targets.defaults() : Targets.defaults().overriddenBy(targets);
        Set<String> chosen = new LinkedHashSet<>(sections == null || sections.isEmpty() ? BenchSettings.ALL_SECTIONS : sections);
        if (quick) {
            // Small enough for a unit test: every section runs end to end on a few hundred rows, but for the partitions
            // section's 4,096 (4 steps an epoch at batch 1,024) and the rows section's 200,000 vs 10,000 (a tenth of its
            // two million vs 100,000: still seconds to generate and cache), and 2,000 rows to score.
            return new BenchSettings(400, layers, chunkSize, partitions, mnist, 3, 1, 20, targetAccuracy, 64, learningRate, 3, 5, 400, 2, 0.05,
                    seed, chosen, 2, 64, localLearningRate, goals, 4096, 10_000, 200_000, 64, 2_000);
        }
        return new BenchSettings(rows, layers, chunkSize, partitions, mnist, iterations, repeats, steps, targetAccuracy, batchSize, learningRate,
                maxEpochs, mllibMaxIter, speedupRows, speedupSteps, 2.0, seed, chosen, localSteps, localBatchSize, localLearningRate, goals,
                BenchSettings.DEFAULT_PARTITIONS_ROWS, BenchSettings.DEFAULT_FEW_ROWS, BenchSettings.DEFAULT_MANY_ROWS,
                BenchSettings.DEFAULT_WIDE_WIDTH, BenchSettings.DEFAULT_SCORING_ROWS);
    }
}
