package io.sparkbackprop.bench;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.JavaBLAS;
import dev.ludovic.netlib.blas.NativeBLAS;
import io.sparkbackprop.nn.Backprop;
import io.sparkbackprop.nn.Initializer;
import io.sparkbackprop.nn.Topology;
import io.sparkbackprop.nn.Workspace;
import io.sparkbackprop.train.TrainingConfig;
import io.sparkbackprop.train.TrainingSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * The known levers, each measured on and off in this run so that a lever is kept only when it pays:
 * native BLAS against the Java fallback, per-thread work buffers against fresh ones, rows per product
 * (blocks sized for cache), {@code treeAggregate} depth and Kryo against Java serialization. Every variant
 * takes turns with its baseline over the repeats and the medians count, so load that comes and goes hits
 * both. By default the figures carry no target (their keys in bench-targets.properties are empty): they explain the
 * product's defaults rather than judge them.
 */
final class Levers {
    static final String SECTION = "levers";
    /** Rows per product tried against the trainer's default chunk. */
    private static final int[] CHUNKS = {32, 128, 2048};
    /** Partitions for the depth comparison: with two, Spark's treeAggregate has no intermediate level to add. */
    private static final int DEPTH_PARTITIONS = 16;

    private Levers() {
    }

    static List<Figure> run(JavaSparkContext sc, TrainingSet train, Topology sigmoid, BenchSettings s) {
        List<Figure> out = new ArrayList<>();
        out.add(nativeBlas(sigmoid, s));
        out.add(reusedBuffers(sigmoid, s));
        out.addAll(chunks(sc, train, sigmoid, s));
        out.add(depth(sc, sigmoid, s));
        return out;
    }

    /** Kryo needs a context of its own per serializer, so it runs after the shared session is stopped. */
    static Figure kryo(SparkConf conf, BenchSettings s, int partitions, Topology sigmoid) {
        List<Double> kryo = new ArrayList<>();
        List<Double> java = new ArrayList<>();
        int rows = stepsFor(s);
        for (int r = 0; r < Math.min(2, s.repeats()); r++) {
            kryo.add(batchOneStepMillis(conf.clone().set("spark.serializer", "org.apache.spark.serializer.KryoSerializer"),
                    rows, partitions, sigmoid, s));
            java.add(batchOneStepMillis(conf.clone().set("spark.serializer", "org.apache.spark.serializer.JavaSerializer"),
                    rows, partitions, sigmoid, s));
        }
        return Figure.of(SECTION, "levers.kryo", "ms per batch-1 step: Kryo vs Java serialization", "ms", StepOverhead.median(kryo),
                StepOverhead.median(java), s.target("levers.kryo"), String.format(Locale.ROOT, "median step over %d steps, fresh contexts"
                        + " in turns; broadcasts and task results (%d weights) go through the serializer", rows, sigmoid.numParams()));
    }

    private static int stepsFor(BenchSettings s) {
        return Math.max(20, Math.min(300, s.steps()));
    }

    private static double batchOneStepMillis(SparkConf conf, int rows, int partitions, Topology t, BenchSettings s) {
        SparkSession spark = Bench.start(conf.set("spark.ui.enabled", "false"));
        try {
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            TrainingSet small = smallSet(spark, rows, partitions, s);
            try {
                return 1e3 * Speedup.medianStepSeconds(sc, small, t, batchOne(s, 2), rows / 10);
            } finally {
                small.unpersist();
            }
        } finally {
            spark.stop();
        }
    }

    private static TrainingSet smallSet(SparkSession spark, int rows, int partitions, BenchSettings s) {
        return BenchData.generatedBlocks(spark, rows, partitions, s.seed(), 4, "bench-levers");
    }

    private static TrainingConfig batchOne(BenchSettings s, int depth) {
        return StepOverhead.batchOne(s).withAggregationDepth(depth);
    }

    private static Figure nativeBlas(Topology t, BenchSettings s) {
        List<FlopCount.Gemm> gemms = FlopCount.gradientGemms(t, s.chunkSize());
        BLAS java = JavaBLAS.getInstance();
        BLAS nativeBlas;
        try {
            nativeBlas = NativeBLAS.getInstance();
        } catch (RuntimeException | LinkageError e) {
            return Figure.of(SECTION, "levers.native-blas", "GFLOP/s on the kernel's products: native BLAS vs " + java.getClass().getSimpleName(),
                    "GFLOP/s", Double.NaN, Double.NaN, s.target("levers.native-blas"), "no native BLAS on this machine (install libopenblas0): the kernel runs on "
                            + java.getClass().getSimpleName());
        }
        GemmProbe.Versus v = GemmProbe.versus(gemms, nativeBlas, java, gemmTurnSeconds(s), s.repeats());
        return Figure.of(SECTION, "levers.native-blas", "GFLOP/s on the kernel's products: native BLAS vs " + java.getClass().getSimpleName(),
                "GFLOP/s", v.oursGflops(), v.baselineGflops(), s.target("levers.native-blas"), String.format(Locale.ROOT, "one thread on the"
                        + " driver, %d rows per product, medians of %d turns after a warm-up of each (%s); the product uses native BLAS"
                        + " whenever it loads (%s)", s.chunkSize(), s.repeats(), GemmProbe.warmUpStory(v), nativeBlas.getClass().getSimpleName()));
    }

    /** How long each BLAS runs the kernel's products per turn, here and in the blas section's bundled-vs-Java figure. */
    static double gemmTurnSeconds(BenchSettings s) {
        return Math.max(0.05, s.gemmSeconds() / 4);
    }

    /** Forward/backward over one chunk with the thread's reused workspace vs a workspace allocated per chunk. */
    private static Figure reusedBuffers(Topology t, BenchSettings s) {
        int m = s.chunkSize();
        SplittableRandom rng = new SplittableRandom(s.seed());
        double[] w = Initializer.XAVIER.initialize(t, s.seed());
        double[] x = new double[t.inputSize() * m];
        for (int i = 0; i < x.length; i++) x[i] = rng.nextDouble();
        double[] y = new double[t.labelWidth() * m];
        for (int j = 0; j < m; j++) y[j] = rng.nextInt(t.outputSize());
        double[] grad = new double[t.numParams()];
        int calls = Math.max(20, (int) (s.gemmSeconds() * 200));
        List<Double> reused = new ArrayList<>();
        List<Double> fresh = new ArrayList<>();
        for (int r = 0; r < s.repeats(); r++) {
            reused.add(secondsPerCall(calls, () -> Workspace.forThread(t, m), w, x, y, m, grad));
            fresh.add(secondsPerCall(calls, () -> new Workspace(t, m), w, x, y, m, grad));
        }
        return Figure.of(SECTION, "levers.work-buffers", "ms per chunk, forward/backward: reused work buffers vs allocated per chunk", "ms",
                1e3 * StepOverhead.median(reused), 1e3 * StepOverhead.median(fresh), s.target("levers.work-buffers"), String.format(Locale.ROOT,
                        "one thread on the driver, %d rows per chunk, %d calls per turn; the product keeps one workspace per task thread", m, calls));
    }

    private static double secondsPerCall(int calls, Supplier<Workspace> workspace, double[] w, double[] x, double[] y, int m, double[] grad) {
        new Backprop(w, workspace.get()).accumulateGradient(x, 0, y, 0, m, grad);
        long t0 = System.nanoTime();
        for (int i = 0; i < calls; i++) new Backprop(w, workspace.get()).accumulateGradient(x, 0, y, 0, m, grad);
        return (System.nanoTime() - t0) / 1e9 / calls;
    }

    /** Full-batch step time with other rows per product than the trainer's default chunk. */
    private static List<Figure> chunks(JavaSparkContext sc, TrainingSet train, Topology t, BenchSettings s) {
        int base = TrainingConfig.defaults().chunkSize();
        int steps = Math.max(3, Math.min(10, s.speedupSteps()));
        List<List<Double>> times = new ArrayList<>();
        for (int i = 0; i <= CHUNKS.length; i++) times.add(new ArrayList<>());
        for (int r = 0; r < s.repeats(); r++) {
            times.get(0).add(Speedup.medianStepSeconds(sc, train, t, fullBatch(s, base, steps), 2));
            for (int i = 0; i < CHUNKS.length; i++) {
                times.get(i + 1).add(Speedup.medianStepSeconds(sc, train, t, fullBatch(s, CHUNKS[i], steps), 2));
            }
        }
        double baseline = StepOverhead.median(times.get(0));
        List<Figure> out = new ArrayList<>();
        for (int i = 0; i < CHUNKS.length; i++) {
            String key = "levers.chunk-" + CHUNKS[i];
            out.add(Figure.of(SECTION, key, "s per full-batch step: " + CHUNKS[i] + " vs " + base + " rows per product", "s",
                    StepOverhead.median(times.get(i + 1)), baseline, s.target(key), String.format(Locale.ROOT,
                            "median of %d steps per turn over %d rows, the sigmoid network; %d (the trainer's default chunk size) keeps a"
                                    + " chunk's activations in cache while making the products wide", steps, train.rows(), base)));
        }
        return out;
    }

    /** Two warm-up steps, then the timed ones. */
    private static TrainingConfig fullBatch(BenchSettings s, int chunk, int steps) {
        return FullBatchRace.fullBatch(s, chunk).withEpochs(2 + steps);
    }

    /** Batch-1 steps on many partitions, where treeAggregate can add a level between the tasks and the driver. */
    private static Figure depth(JavaSparkContext sc, Topology t, BenchSettings s) {
        int rows = stepsFor(s);
        SparkSession spark = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
        TrainingSet small = smallSet(spark, rows, DEPTH_PARTITIONS, s);
        try {
            List<Double> two = new ArrayList<>();
            List<Double> one = new ArrayList<>();
            for (int r = 0; r < s.repeats(); r++) {
                two.add(1e3 * Speedup.medianStepSeconds(sc, small, t, batchOne(s, 2), rows / 10));
                one.add(1e3 * Speedup.medianStepSeconds(sc, small, t, batchOne(s, 1), rows / 10));
            }
            return Figure.of(SECTION, "levers.depth", "ms per batch-1 step on " + DEPTH_PARTITIONS + " partitions: treeAggregate depth 2 vs 1",
                    "ms", StepOverhead.median(two), StepOverhead.median(one), s.target("levers.depth"), String.format(Locale.ROOT,
                            "median step over %d steps; depth 2 sums groups of partitions in a shuffle stage before the driver"
                                    + " adds them, depth 1 (--aggregation-depth's default) sends every partition's buffer to the driver", rows));
        } finally {
            small.unpersist();
        }
    }
}
