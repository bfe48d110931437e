package io.sparkbackprop.bench;

import io.sparkbackprop.data.Block;
import io.sparkbackprop.data.BlockStacker;
import io.sparkbackprop.data.Friedman1;
import io.sparkbackprop.data.Generated;
import io.sparkbackprop.nn.Activation;
import io.sparkbackprop.nn.Initializer;
import io.sparkbackprop.nn.Loss;
import io.sparkbackprop.nn.Topology;
import io.sparkbackprop.train.TrainingConfig;
import io.sparkbackprop.train.TrainingPipeline;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The partitions section: training on input in 200 partitions (Spark's default after a shuffle or a join) against
 * the same rows in defaultParallelism partitions, through the library's {@link TrainingPipeline}, which merges
 * partitions beyond the task slots (and, with {@code keepPartitioning(true)}, keeps them: the second figure, what the
 * merge saves). Each run is timed from the uncached blocks to the trained network; the three take turns.
 */
final class ManyPartitions {
    static final String SECTION = "partitions";
    /** Spark's spark.sql.shuffle.partitions default: what a frame has after a join or groupBy. */
    static final int WIDE = 200;
    static final int EPOCHS = 3;
    static final int BATCH = 1024;
    /** Friedman #1's 10 features, two relu layers of 64, one linear output under MSE; also the rows section's network. */
    static final Topology NETWORK = Topology.input(Friedman1.FEATURES).layer(64, Activation.RELU).layer(64, Activation.RELU)
            .output(1, Loss.MSE);

    private ManyPartitions() {
    }

    /** Mini-batch Adam at batch 1,024 without evaluations: the runs of this section and of the rows section. */
    static TrainingConfig miniBatchAdam(BenchSettings s, int epochs) {
        return TrainingConfig.defaults().withEpochs(epochs).withBatchSize(BATCH).withLearningRate(1e-3).withSeed(s.seed())
                .withEvalEvery(Integer.MAX_VALUE);
    }

    /**
     * @param seconds           the whole pipeline run
     * @param beforeSteps       of which before the first step: caching the blocks (which generates the rows), the BLAS probe
     * @param trainedPartitions the partitions the steps ran on, as the pipeline recorded them
     */
    private record Run(double seconds, double beforeSteps, String trainedPartitions) {
    }

    static List<Figure> run(JavaSparkContext sc, BenchSettings s) {
        int slots = sc.defaultParallelism();
        int rows = s.partitionsRows();
        TrainingConfig config = miniBatchAdam(s, EPOCHS);
        double[] w0 = Initializer.defaultFor(NETWORK).initialize(NETWORK, s.seed());
        // One untimed epoch of the default and of the merged run first: a first run pays class loading and the JIT.
        train(sc, config.withEpochs(1), w0, rows, slots, false, s);
        train(sc, config.withEpochs(1), w0, rows, WIDE, false, s);
        List<Run> narrow = new ArrayList<>();
        List<Run> merged = new ArrayList<>();
        Run kept = null;
        for (int r = 0; r < s.repeats(); r++) {
            narrow.add(train(sc, config, w0, rows, slots, false, s));
            merged.add(train(sc, config, w0, rows, WIDE, false, s));
            // Once: at 200 tasks a step it is far above the others, and more turns would add minutes, not information.
            if (kept == null) kept = train(sc, config, w0, rows, WIDE, true, s);
        }
        double baseline = median(narrow, Run::seconds);
        double narrowBefore = median(narrow, Run::beforeSteps);
        double mergedBefore = median(merged, Run::beforeSteps);
        String mergedInto = merged.get(0).trainedPartitions();
        int steps = EPOCHS * (int) Math.ceil(rows / (double) BATCH);
        String what = String.format(Locale.ROOT, "TrainingPipeline.run timed from the uncached blocks to the trained network (caching them,"
                + " its BLAS probe, %d epochs of Adam at batch %d: %d steps, %s), on the same %d Friedman #1 rows generated on the"
                + " executors in %d or in %d partitions (defaultParallelism); medians of %d turns, the runs taking turns, after an untimed"
                + " epoch of both", EPOCHS, BATCH, steps, NETWORK, rows, WIDE, slots, s.repeats());
        List<Figure> out = new ArrayList<>();
        Figure f = Figure.of(SECTION, "partitions.two-hundred", "s to train: input in " + WIDE + " partitions vs in " + slots
                        + " (defaultParallelism)", "s", median(merged, Run::seconds), baseline, s.target("partitions.two-hundred"),
                what + String.format(Locale.ROOT, "; the pipeline trained the %d on %s partitions (keepPartitioning false, the default)%s;"
                        + " before the first step (caching, which generates the rows, and the BLAS probe) %.3f s vs %.3f s", WIDE, mergedInto,
                        slots >= WIDE ? ", with " + slots + " task slots there is nothing to merge" : "", mergedBefore, narrowBefore));
        if (f.verdict() == Figure.Verdict.MISS) {
            f = f.withNote(mergedInto.equals(Integer.toString(Math.min(slots, WIDE)))
                    ? "merged as it should be: what is left is mostly the one job that reads the " + WIDE + " input partitions (" + WIDE
                            + " tasks that generate and cache the rows: before the first step, above); more rows or epochs amortize it"
                    : "the " + WIDE + " partitions were not merged into the task slots: see the pipeline's log");
        }
        out.add(f);
        out.add(Figure.of(SECTION, "partitions.kept", "s to train: input in " + WIDE + " partitions kept vs in " + slots
                        + " (defaultParallelism)", "s", kept.seconds(), baseline, s.target("partitions.kept"),
                String.format(Locale.ROOT, "the same with keepPartitioning(true), one run in the first turn: %s tasks a step instead of %d,"
                        + " and the pipeline's BLAS probe (a dgemm of some 40 ms) in each of %s partitions (before the first step: %.2f s"
                        + " vs %.3f s): what the merge saves", kept.trainedPartitions(), slots, kept.trainedPartitions(), kept.beforeSteps(),
                        narrowBefore)));
        return out;
    }

    private static Run train(JavaSparkContext sc, TrainingConfig config, double[] w0, int rows, int partitions, boolean keep, BenchSettings s) {
        long[] firstStep = new long[1];
        long t0 = System.nanoTime();
        TrainingPipeline.Outcome outcome = new TrainingPipeline(sc, NETWORK, config).startWeights(w0).keepPartitioning(keep)
                .beforeTraining((train, test) -> firstStep[0] = System.nanoTime())
                .run(new TrainingPipeline.Data(sameRows(sc, rows, partitions, s.seed()), null, null, null));
        long t1 = System.nanoTime();
        String trained = outcome.settings().get("rows");
        if (!Long.toString(rows).equals(trained)) throw new IllegalStateException("trained on " + trained + " rows, not " + rows);
        return new Run((t1 - t0) / 1e9, (firstStep[0] - t0) / 1e9, outcome.settings().getOrDefault("partitions", "?"));
    }

    private static double median(List<Run> runs, ToDoubleFunction<Run> what) {
        return StepOverhead.median(runs.stream().map(what::applyAsDouble).toList());
    }

    /**
     * Friedman #1 rows generated on the executors, row i drawn from (seed, i) alone: the same rows, in the same order,
     * however many partitions they are cut into (partition p holds rows [⌊N·p/P⌋, ⌊N·(p+1)/P⌋)). Merged contiguously,
     * 200 partitions hold what the default partitioning does, in smaller blocks.
     */
    static JavaRDD<Block> sameRows(JavaSparkContext sc, long rows, int partitions, long seed) {
        return Generated.perPartition(sc, rows, partitions, (p, count) -> {
            long[] next = {rows * p / partitions};
            Iterator<BlockStacker.Row> generated = Generated.take(count, () -> {
                SplittableRandom rng = new SplittableRandom(mix(seed + 0x9E3779B97F4A7C15L * (next[0]++ + 1)));
                double[] x = new double[Friedman1.FEATURES];
                for (int f = 0; f < x.length; f++) x[f] = rng.nextDouble();
                return new BlockStacker.Row(x, new double[] {Friedman1.target(x, 0) + rng.nextGaussian()});
            });
            return BlockStacker.stack(generated, Friedman1.FEATURES, 1, BlockStacker.DEFAULT_CAPACITY);
        });
    }

    /** SplitMix64's finaliser: rows' seeds that share no stretch of their generators' streams. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
