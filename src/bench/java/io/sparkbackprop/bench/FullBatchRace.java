package io.sparkbackprop.bench;

import io.sparkbackprop.nn.Initializer;
import io.sparkbackprop.nn.Precision;
import io.sparkbackprop.nn.Topology;
import io.sparkbackprop.train.OptimizerKind;
import io.sparkbackprop.train.Trainer;
import io.sparkbackprop.train.TrainingConfig;
import io.sparkbackprop.train.TrainingListener;
import io.sparkbackprop.train.TrainingSet;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Seconds per full-batch iteration, ours against MLlib's {@code gd} solver, on equal work: the same
 * layers with sigmoid hidden units (MLlib has no other), softmax and cross-entropy, the same rows per
 * product. Each system's time is (fit of N iterations − fit of 1) / (N − 1) after a warm-up fit, so
 * that start-up costs (MLlib stacks and caches its data inside every fit) cancel. The N-iteration runs
 * of ours also yield the executors' CPU time in the gradient tasks, hence the kernel's GFLOP/s (from the
 * least disturbed run: CPU time too grows when other processes thrash the caches). Ours runs twice per turn,
 * in double and in float precision ({@code --precision float}, on the rows cached in float as a float run caches
 * them; MLlib has no such mode), so that both of our
 * figures face the same load as MLlib's; the float runs' task times give the float kernel's GFLOP/s.
 */
final class FullBatchRace {
    private FullBatchRace() {
    }

    /**
     * @param oursFloatSecondsPerIteration ours with the float kernel
     * @param flops                        of one N-iteration run (the same in either precision)
     * @param doubleTasks                  the gradient tasks of the least disturbed N-iteration run in double
     * @param floatTasks                   the same in float
     */
    record Result(double oursSecondsPerIteration, double oursFloatSecondsPerIteration, double mllibSecondsPerIteration, long flops,
                  TaskTimes doubleTasks, TaskTimes floatTasks) {
        double kernelGflopsPerCpuSecond(Precision precision) {
            return flops / tasks(precision).cpuSeconds() / 1e9;
        }

        TaskTimes tasks(Precision precision) {
            return precision == Precision.FLOAT ? floatTasks : doubleTasks;
        }
    }

    /** @param withMllib false: only our runs (for the GFLOP/s figure), MLlib's time NaN */
    static Result run(JavaSparkContext sc, Dataset<Row> trainFrame, TrainingSet train, Topology sigmoid, BenchSettings s,
                      boolean withMllib) {
        return run(sc, trainFrame, train, sigmoid, s, withMllib, s.chunkSize());
    }

    /** The same with our products of {@code chunk} rows (MLlib's, when it runs, stay --chunk-size). */
    static Result run(JavaSparkContext sc, Dataset<Row> trainFrame, TrainingSet train, Topology sigmoid, BenchSettings s,
                      boolean withMllib, int chunk) {
        // The float runs read the rows cached in float, as a float run of the trainer's pipeline caches them.
        TrainingSet trainFloat = train.inSingle(train.blocks().name() + "-float");
        try {
            return race(trainFrame, sc, train, trainFloat, sigmoid, s, withMllib, chunk);
        } finally {
            trainFloat.unpersist();
        }
    }

    private static Result race(Dataset<Row> trainFrame, JavaSparkContext sc, TrainingSet train, TrainingSet trainFloat, Topology sigmoid,
                               BenchSettings s, boolean withMllib, int chunk) {
        int n = s.iterations();
        TrainingConfig config = fullBatch(s, chunk);
        TrainingConfig inFloat = config.withPrecision(Precision.FLOAT);
        double[] w0 = Initializer.XAVIER.initialize(sigmoid, s.seed());
        ours(sc, config.withEpochs(2), sigmoid, w0, train);
        ours(sc, inFloat.withEpochs(2), sigmoid, w0, trainFloat);
        if (withMllib) mllib(trainFrame, s, 2);
        // The systems take turns, so that a burst of load on a shared machine hits both; medians over the repeats.
        List<Double> oursPerIteration = new ArrayList<>();
        List<Double> floatPerIteration = new ArrayList<>();
        List<Double> mllibPerIteration = new ArrayList<>();
        TaskTimes[] times = new TaskTimes[2];
        for (int r = 0; r < s.repeats(); r++) {
            double ours1 = ours(sc, config.withEpochs(1), sigmoid, w0, train);
            double float1 = ours(sc, inFloat.withEpochs(1), sigmoid, w0, trainFloat);
            double mllib1 = withMllib ? mllib(trainFrame, s, 1) : Double.NaN;
            double oursN = timed(sc, config.withEpochs(n), sigmoid, w0, train, "full-batch-ours-" + r, times, 0);
            double floatN = timed(sc, inFloat.withEpochs(n), sigmoid, w0, trainFloat, "full-batch-float-" + r, times, 1);
            double mllibN = withMllib ? mllib(trainFrame, s, n) : Double.NaN;
            oursPerIteration.add((oursN - ours1) / (n - 1));
            floatPerIteration.add((floatN - float1) / (n - 1));
            mllibPerIteration.add((mllibN - mllib1) / (n - 1));
        }
        long flops = FlopCount.gradientPerRow(sigmoid) * train.rows() * n;
        return new Result(StepOverhead.median(oursPerIteration), StepOverhead.median(floatPerIteration),
                StepOverhead.median(mllibPerIteration), flops, times[0], times[1]);
    }

    /** Ours with the jobs' task times recorded; keeps in least[slot] the run with the least task CPU time. */
    private static double timed(JavaSparkContext sc, TrainingConfig config, Topology t, double[] w0, TrainingSet train, String group,
                                TaskTimes[] least, int slot) {
        TaskTimes measured = TaskTimes.start(sc.sc(), group);
        double seconds;
        try {
            seconds = ours(sc, config, t, w0, train);
        } finally {
            measured.await(config.epochs());
        }
        if (least[slot] == null || measured.cpuSeconds() < least[slot].cpuSeconds()) least[slot] = measured;
        return seconds;
    }

    /**
     * The full-batch SGD run every timing of a full-batch step uses (here, the speedup section, the levers), with the
     * given rows per product. The step size does not change the work; MLlib's gd default keeps both systems on
     * comparable trajectories.
     */
    static TrainingConfig fullBatch(BenchSettings s, int chunk) {
        return TrainingConfig.defaults().withBatchSize(0).withOptimizer(OptimizerKind.SGD).withLearningRate(0.03).withSeed(s.seed())
                .withChunkSize(chunk).withEvalEvery(Integer.MAX_VALUE);
    }

    private static double ours(JavaSparkContext sc, TrainingConfig config, Topology t, double[] w0, TrainingSet train) {
        settle();
        long t0 = System.nanoTime();
        new Trainer(sc, config).fit(t, w0.clone(), train, null, TrainingListener.NONE);
        return (System.nanoTime() - t0) / 1e9;
    }

    private static double mllib(Dataset<Row> trainFrame, BenchSettings s, int maxIter) {
        // tol 0: gd must not stop early and make the N-iteration fit shorter than N iterations.
        MultilayerPerceptronClassifier mlp = new MultilayerPerceptronClassifier().setLayers(s.layerSizes()).setBlockSize(s.chunkSize())
                .setSolver("gd").setMaxIter(maxIter).setTol(0.0).setSeed(s.seed());
        settle();
        long t0 = System.nanoTime();
        mlp.fit(trainFrame);
        return (System.nanoTime() - t0) / 1e9;
    }

    /**
     * Before each timed fit, a full GC and a moment for Spark's cleaner: the systems take turns, and without it each
     * fit paid for the garbage and the unpersisted blocks of the fit before it (an MLlib fit leaves its stacked copy
     * of the data; ours measured up to 1.45x slower in the turns than alone). In local mode the executors are this JVM.
     */
    private static void settle() {
        System.gc();
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
