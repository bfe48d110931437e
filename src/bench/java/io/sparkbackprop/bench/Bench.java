package io.sparkbackprop.bench;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.JavaBLAS;
import io.sparkbackprop.nn.Activation;
import io.sparkbackprop.nn.Blas;
import io.sparkbackprop.nn.Loss;
import io.sparkbackprop.nn.Precision;
import io.sparkbackprop.nn.Topology;
import io.sparkbackprop.runtime.BlasReport;
import io.sparkbackprop.train.TrainingSet;
import java.io.IOException;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.RDDInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One bench run: every section on the same data in the same Spark session, then the speedup section on
 * fresh local[1] and local[2] contexts. Each figure is a ratio against a baseline measured in this run.
 */
public final class Bench {
    private static final Logger LOG = LoggerFactory.getLogger(Bench.class);
    static final String VS_MLLIB = "vs MLlib";
    static final String VS_BLAS = "vs BLAS";
    static final String PER_STEP = "per step";
    static final String SPEEDUP = "speedup";
    static final String MEMORY = "memory";

    private Bench() {
    }

    public static BenchReport run(SparkConf conf, BenchSettings s) throws IOException {
        Map<String, String> run = new LinkedHashMap<>();
        run.put("date", ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        run.put("machine", Machine.describe());
        run.put("load average at start", Machine.loadAverage());
        List<Figure> figures = new ArrayList<>();
        Topology sigmoid = Topology.of(MnistFiles.PIXELS, s.hidden(), Activation.SIGMOID, MnistFiles.CLASSES, Loss.CROSS_ENTROPY);
        String master;
        int partitions;
        SparkSession spark = start(conf);
        try {
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            master = sc.master();
            partitions = s.partitions() > 0 ? s.partitions() : sc.defaultParallelism();
            run.put("spark", spark.version() + ", master " + master + ", " + sc.defaultParallelism() + " cores, " + partitions + " partitions");
            BenchData data = BenchData.load(spark, s.mnist(), s.rows(), partitions, s.seed());
            run.put("data", data.description());
            run.put("network", sigmoid + "; " + Arrays.toString(s.layerSizes()).replaceAll("[\\[\\] ]", "").replace(',', '-')
                    + " relu for ours in the accuracy race");
            run.put("rows per product (--chunk-size; MLlib's blockSize)", Integer.toString(s.chunkSize()));
            run.put("targets", s.targets().source());
            TrainingSet train = BenchData.cachedBlocks(data.train(), "bench-train");
            run.put("BLAS", BlasReport.summary(BlasReport.describeThisJvm(), BlasReport.probeExecutors(train.blocks())).replaceFirst("^BLAS on the ", ""));

            if (s.runs("mllib") || s.runs("blas")) {
                LOG.info("full-batch iterations: ours vs MLlib gd ({} iterations)", s.iterations());
                FullBatchRace.Result r = FullBatchRace.run(sc, data.train(), train, sigmoid, s, s.runs("mllib"));
                if (s.runs("mllib")) {
                    for (Precision precision : Precision.values()) figures.add(iterationFigure(r, precision, s));
                }
                if (s.runs("blas")) {
                    int cores = Math.min(train.numPartitions(), sc.defaultParallelism());
                    for (Precision precision : Precision.values()) {
                        GemmProbe.Result gemm = GemmProbe.run(sc, FlopCount.gradientGemms(sigmoid, s.chunkSize()), cores, s.gemmSeconds(),
                                precision);
                        figures.add(blasFigure(r, gemm, cores, precision, s));
                    }
                    run.put("BLAS in this JVM", Blas.name() + "; bundled OpenBLAS: " + Blas.bundled());
                    figures.add(bundledVsJavaFigure(sigmoid, s));
                }
                if (!master.startsWith("local[") && !master.equals("local")) {
                    figures.add(Figure.of(SPEEDUP, "speedup.cluster", "rows/s, full batch, on " + master, "rows/s",
                            train.rows() / r.oursSecondsPerIteration(), Double.NaN, s.target("speedup.cluster"), "from the full-batch iterations above"));
                }
            }
            if (s.runs("accuracy")) {
                LOG.info("race to {} test accuracy: ours (Adam, batch {}; and --local-steps {}, batch {}) vs MLlib l-bfgs", s.targetAccuracy(),
                        s.batchSize(), s.localSteps(), s.localBatchSize());
                TrainingSet test = BenchData.cachedBlocks(data.test(), "bench-test");
                AccuracyRace.Result race = AccuracyRace.run(sc, data, test, s);
                figures.add(accuracyFigure(race.ours(), race.mllib(), "Adam", s.batchSize(), s.learningRate(), s, s.mnist() != null));
                figures.add(accuracyFigure(race.local(), race.mllib(), "Adam --local-steps " + s.localSteps(), s.localBatchSize(),
                        s.localLearningRate(), s, s.mnist() != null));
                test.unpersist();
            }
            if (s.runs("memory")) figures.add(cacheFigure(sc, train, s));
            if (s.runs("overhead") || s.runs("memory")) {
                LOG.info("per-step overhead: {} steps at batch 1", s.steps());
                TrainingSet small = BenchData.generatedBlocks(spark, s.steps(), partitions, s.seed(), 2, "bench-steps");
                StepOverhead.Result r = StepOverhead.run(sc, small, sigmoid, s);
                small.unpersist();
                if (s.runs("overhead")) figures.add(overheadFigure(r, sigmoid, s));
                if (s.runs("memory")) figures.addAll(memoryFigures(r, s));
            }
            if (s.runs("levers")) {
                LOG.info("levers: native BLAS, work buffers, rows per product, treeAggregate depth");
                figures.addAll(Levers.run(sc, train, sigmoid, s));
            }
            if (s.runs("pytorch")) {
                LOG.info("vs PyTorch: the full-batch iteration and the wide network's step ({})", PyTorch.python());
                figures.addAll(VsPyTorch.run(spark, sc, train, sigmoid, partitions, s));
            }
            train.unpersist();
            data.unpersist();
            if (s.runs("partitions")) {
                LOG.info("partitions: training on input in {} partitions vs in defaultParallelism", ManyPartitions.WIDE);
                figures.addAll(ManyPartitions.run(sc, s));
            }
            if (s.runs("rows")) {
                LOG.info("rows: mini-batch steps on {} vs {} cached rows", s.manyRows(), s.fewRows());
                figures.add(ManyRows.run(sc, partitions, s));
            }
            if (s.runs("scoring")) {
                LOG.info("scoring: transform of {} cached rows, ours in chunks vs MLlib's model and our row-by-row path", s.scoringRows());
                figures.addAll(Scoring.run(spark, sc, partitions, s));
            }
            if (s.runs("sparse")) {
                LOG.info("sparse: steps over sparse rows stored sparse (lazy updates) vs densified (exact updates)");
                figures.addAll(Sparse.run(spark, sc, partitions, s));
            }
        } finally {
            spark.stop();
        }
        if (s.runs("speedup")) figures.addAll(speedup(conf, s, partitions, sigmoid));
        if (s.runs("levers")) {
            LOG.info("levers: Kryo vs Java serialization");
            figures.add(Levers.kryo(conf, s, partitions, sigmoid));
        }
        run.put("load average at end", Machine.loadAverage());
        // Every miss says by how much, in the terms of its target.
        figures.replaceAll(f -> f.verdict() == Figure.Verdict.MISS && Double.isFinite(f.ratio())
                ? f.withNote(String.format(Locale.ROOT, "missed by %.0f%% of the target", 100 * f.shortfall())) : f);
        return new BenchReport(run, figures);
    }

    /** A fresh session on conf; the levers section starts its own for each serializer. */
    static SparkSession start(SparkConf conf) {
        // A context stopped earlier in this JVM (the speedup section's) must not be handed back.
        SparkSession.clearActiveSession();
        SparkSession.clearDefaultSession();
        return SparkSession.builder().config(conf).getOrCreate();
    }

    private static List<Figure> speedup(SparkConf conf, BenchSettings s, int partitions, Topology sigmoid) {
        // local[1] and local[2] take turns, so that a change of load on a shared machine hits both; medians.
        List<List<Double>> rowsPerSecond = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (int r = 0; r < s.repeats(); r++) {
            for (int cores : new int[] {1, 2}) {
                LOG.info("speedup: full-batch steps on local[{}]", cores);
                SparkSession spark = start(conf.clone().setMaster("local[" + cores + "]").set("spark.ui.enabled", "false"));
                try {
                    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
                    TrainingSet train = BenchData.generatedBlocks(spark, s.speedupRows(), partitions, s.seed(), 3, "bench-speedup");
                    rowsPerSecond.get(cores).add(Speedup.rowsPerSecond(sc, train, sigmoid, s));
                } finally {
                    spark.stop();
                }
            }
        }
        double one = StepOverhead.median(rowsPerSecond.get(1));
        double two = StepOverhead.median(rowsPerSecond.get(2));
        Figure f = Figure.of(SPEEDUP, "speedup.two-cores", "rows/s, full batch: local[2] vs local[1]", "rows/s", two, one,
                s.target("speedup.two-cores"), "medians over " + s.repeats() + " turns each of " + s.speedupSteps() + " full-batch steps on "
                        + s.speedupRows() + " generated MNIST-shaped rows in " + partitions + " partitions, the sigmoid network");
        if (f.verdict() == Figure.Verdict.MISS) {
            f = f.withNote("with " + Runtime.getRuntime().availableProcessors() + " cores and a load average of " + Machine.loadAverage()
                    + " the second core is shared with other processes; rerun on a quiet machine. A partition count that is not a"
                    + " multiple of the cores, or steps too short for compute to dominate (small --speedup-rows), also cost speedup");
        }
        return List.of(f);
    }

    /** Ours against MLlib gd per full-batch iteration, with our tasks' products in double or (--precision float) in float. */
    private static Figure iterationFigure(FullBatchRace.Result r, Precision precision, BenchSettings s) {
        boolean single = precision == Precision.FLOAT;
        String key = single ? "mllib.iteration-float" : "mllib.iteration";
        String metric = single ? "s per full-batch iteration in float vs MLlib gd" : "s per full-batch iteration vs MLlib gd";
        double ours = single ? r.oursFloatSecondsPerIteration() : r.oursSecondsPerIteration();
        Target target = s.target(key);
        if (!(ours > 0 && r.mllibSecondsPerIteration() > 0)) {
            // A fit of N iterations that took no longer than a fit of 1: noise swamped N − 1 iterations.
            return Figure.withRatio(VS_MLLIB, key, metric, "s", ours, r.mllibSecondsPerIteration(), Double.NaN, target,
                    "the difference of the fits was lost in noise: rerun with more --iterations or --rows, or on a quieter machine");
        }
        Figure f = Figure.of(VS_MLLIB, key, metric, "s", ours, r.mllibSecondsPerIteration(), target, single
                ? "--precision float (the training rows cached in float, hidden layers in float: sgemm products, float activations"
                        + " and deltas; the output layer, loss, sums over blocks and the weights in double; MLlib has no float mode),"
                        + " measured as above in the same turns"
                : "median over the repeats of (fit of N − fit of 1)/(N − 1), after a warm-up; same sigmoid network, data and rows per product");
        if (f.verdict() == Figure.Verdict.MISS) {
            f = f.withNote(single
                    ? "what the sgemms save is bounded by the rest of the step (the job's floor, the broadcast of the weights"
                            + " and the double gradient's way back); a wider --chunk-size helps the products"
                    : "both run the same double-precision gemms; see the float figure below for the single-precision mode");
        }
        return f;
    }

    private static Figure blasFigure(FullBatchRace.Result r, GemmProbe.Result gemm, int cores, Precision precision, BenchSettings s) {
        boolean single = precision == Precision.FLOAT;
        String key = single ? "blas.kernel-float" : "blas.kernel";
        TaskTimes tasks = r.tasks(precision);
        String metric = single ? "GFLOP/s per core, float forward/backward vs sgemm of its shapes"
                : "GFLOP/s per core, forward/backward vs dgemm of its shapes";
        Figure f = Figure.of(VS_BLAS, key, metric, "GFLOP/s", r.kernelGflopsPerCpuSecond(precision), gemm.gflopsPerCpuSecond(),
                s.target(key),
                String.format(Locale.ROOT, "2mnk per product over the executors' task CPU time (%d tasks: %.2f s CPU, %.2f s wall) vs the same"
                        + " products alone, %d at a time (%.2f s CPU, %.2f s wall)", tasks.tasks(), tasks.cpuSeconds(), tasks.runSeconds(), cores,
                        gemm.cpuSeconds(), gemm.wallSeconds()));
        if (single && f.verdict() == Figure.Verdict.MISS) {
            f = f.withNote("the work around the products — activations, softmax and losses in double, bias sums, and converting each"
                    + " chunk's features and deltas between double and float — is about the double kernel's and weighs twice as much"
                    + " against sgemms that run twice as fast");
        } else if (!single && f.verdict() == Figure.Verdict.MISS) {
            f = f.withNote("the rest of the task (bias copies, activations, softmax, a dgemv per layer, reading the blocks) costs"
                    + " what the products do not; a wider --chunk-size makes the products larger against it");
        }
        return f;
    }

    /**
     * What the BLAS this JVM runs (the bundled OpenBLAS unless it could not load) brings over netlib's Java BLAS: dgemm on the
     * kernel's products, one thread, warm, in turns ({@link GemmProbe#versus}, as the levers' native-BLAS figure).
     */
    private static Figure bundledVsJavaFigure(Topology sigmoid, BenchSettings s) {
        Blas.chooseFirst(); // netlib's one instance, chosen as the library chooses it (the bundled OpenBLAS first)
        BLAS inUse = BLAS.getInstance();
        BLAS java = JavaBLAS.getInstance();
        GemmProbe.Versus v = GemmProbe.versus(FlopCount.gradientGemms(sigmoid, s.chunkSize()), inUse, java, Levers.gemmTurnSeconds(s),
                s.repeats());
        return Figure.of(VS_BLAS, "blas.bundled-vs-java", "GFLOP/s, dgemm of the kernel's shapes: " + Blas.name() + " (in use) vs "
                        + java.getClass().getSimpleName() + " (netlib's Java BLAS)", "GFLOP/s", v.oursGflops(), v.baselineGflops(),
                s.target("blas.bundled-vs-java"), String.format(Locale.ROOT, "one thread on the driver, per CPU second, %d rows per product,"
                        + " medians of %d turns of %.2f s after a warm-up of each (%s); the BLAS in use: %s; bundled OpenBLAS: %s",
                        s.chunkSize(), s.repeats(), Levers.gemmTurnSeconds(s), GemmProbe.warmUpStory(v), Blas.name(), Blas.bundled()));
    }

    /**
     * @param runner which of ours raced: "Adam" or "Adam --local-steps K"
     * @param digits the real digits: the target is set for the MNIST split. Generated data is separable by design,
     *               so both systems get there almost at once and the figure says little: reported without target.
     */
    private static Figure accuracyFigure(AccuracyRace.Run ours, AccuracyRace.Run mllib, String runner, int batchSize, double learningRate,
                                         BenchSettings s, boolean digits) {
        String metric = "s to " + BenchReport.number(s.targetAccuracy()) + " test accuracy: " + runner + " vs MLlib l-bfgs";
        boolean local = runner.contains("--local-steps");
        String key = local ? "accuracy.local-steps" : "accuracy.adam";
        String how = String.format(Locale.ROOT, "ours: %s lr %s, batch %d, relu, epoch %s (best %.4f); MLlib: l-bfgs, %s (best %.4f)",
                runner, learningRate, batchSize, ours.reached() ? Integer.toString(ours.reachedAt()) : "never in " + ours.lastChecked(),
                ours.bestAccuracy(), mllibStory(mllib), mllib.bestAccuracy());
        if (!digits) how += "; generated data is separable, so this times start-up costs: the target is for the MNIST split (--mnist DIR)";
        Target target = digits ? s.target(key) : null;
        if (!ours.reached()) {
            String why = how + "; ours never reached it: more --max-epochs or a tuned " + (local ? "--local-learning-rate" : "--learning-rate")
                    + (local ? ", or a smaller --local-steps (the partitions' models drift apart between averages)" : ", or --local-steps"
                    + " (the figure beside) to make epochs cheaper");
            return mllib.reached()
                    ? new Figure(VS_MLLIB, key, metric, "s", Double.NaN, mllib.seconds(), Double.POSITIVE_INFINITY, target,
                            target == null ? Figure.Verdict.INFO : Figure.Verdict.MISS, why)
                    : Figure.withRatio(VS_MLLIB, key, metric, "s", Double.NaN, Double.NaN, Double.NaN, target, why);
        }
        if (!mllib.reached()) {
            // MLlib never got there: compare with what its last fit spent trying, a bound that only understates our lead.
            return Figure.withRatio(VS_MLLIB, key, metric, "s", ours.seconds(), Double.NaN, ours.seconds() / mllib.spentSeconds(), target,
                    how + "; MLlib never reached it, ratio against its last fit");
        }
        Figure f = Figure.withRatio(VS_MLLIB, key, metric, "s", ours.seconds(), mllib.seconds(), ours.seconds() / mllib.lowerBoundSeconds(),
                target, how);
        if (f.verdict() == Figure.Verdict.MISS) {
            f = f.withNote(local ? "levers: another --local-steps (fewer jobs against more drift between averages), a larger"
                    + " --local-batch-size with a larger --local-learning-rate"
                    : "levers: --local-steps (several optimizer steps per Spark job, the figure beside) to cut the per-step job floor,"
                    + " larger batches with a larger learning rate");
        }
        return f;
    }

    private static String mllibStory(AccuracyRace.Run mllib) {
        if (!mllib.reached()) return String.format(Locale.ROOT, "never within maxIter %d (%.1f s)", mllib.lastChecked(), mllib.spentSeconds());
        if (mllib.lastChecked() == 0) {
            return String.format(Locale.ROOT, "reached at the first check, maxIter %d (%.1f s)", mllib.reachedAt(), mllib.seconds());
        }
        return String.format(Locale.ROOT, "reached at maxIter %d in %.1f s, not at %d (%.1f s): ratio taken against the latter",
                mllib.reachedAt(), mllib.seconds(), mllib.lastChecked(), mllib.lowerBoundSeconds());
    }

    private static Figure cacheFigure(JavaSparkContext sc, TrainingSet train, BenchSettings s) {
        long bytes = -1;
        for (RDDInfo info : sc.sc().getRDDStorageInfo()) {
            if (info.id() == train.blocks().id()) bytes = info.memSize() + info.diskSize();
        }
        double raw = train.rows() * (double) (MnistFiles.PIXELS + 1) * 8;
        Figure f = Figure.of(MEMORY, "memory.cache", "cached training data vs raw doubles", "MB", bytes / 1e6, raw / 1e6, s.target("memory.cache"),
                "Spark's storage size of the cached blocks vs rows × (features + label) × 8 bytes");
        return f.verdict() == Figure.Verdict.MISS ? f.withNote("lever: cache the blocks serialized or in float") : f;
    }

    private static Figure overheadFigure(StepOverhead.Result r, Topology t, BenchSettings s) {
        Figure f = Figure.of(PER_STEP, "overhead.step", "ms per step at batch 1 vs empty treeAggregate job", "ms", r.oursMedianMs(),
                r.floorMedianMs(), s.target("overhead.step"), String.format(Locale.ROOT, "medians of %d steps and %d empty jobs; both broadcast and aggregate %d weights",
                        r.steps(), r.floorJobs(), t.numParams()));
        return f.verdict() == Figure.Verdict.MISS ? f.withNote("lever: --local-steps (several steps per job, see the accuracy race)") : f;
    }

    private static List<Figure> memoryFigures(StepOverhead.Result r, BenchSettings s) {
        StepOverhead.Memory m = r.memory();
        String span = "used heap after GC at step " + m.lateStep() + " vs step " + m.earlyStep();
        List<Figure> out = new ArrayList<>();
        out.add(growth(Figure.of(MEMORY, "memory.driver-heap", "driver heap after " + m.lateStep() + " steps", "MB", m.heapLate() / 1e6,
                m.heapEarly() / 1e6, s.target("memory.driver-heap"), span + String.format(Locale.ROOT, "; live broadcast blocks %d vs %d", m.broadcastsLate(), m.broadcastsEarly()))));
        long early = 0;
        long late = 0;
        int executors = 0;
        for (Map.Entry<String, Long> e : m.executorsEarly().entrySet()) {
            if (e.getKey().equals("driver") || !m.executorsLate().containsKey(e.getKey())) continue;
            early += e.getValue();
            late += m.executorsLate().get(e.getKey());
            executors++;
        }
        if (executors > 0) {
            out.add(growth(Figure.of(MEMORY, "memory.executor-heap", "executor heap after " + m.lateStep() + " steps", "MB", late / 1e6,
                    early / 1e6, s.target("memory.executor-heap"),
                    span + ", summed over " + executors + " executors")));
        } else {
            out.add(Figure.withRatio(MEMORY, "memory.executor-heap", "executor heap after " + m.lateStep() + " steps", "MB", Double.NaN,
                    Double.NaN, Double.NaN, s.target("memory.executor-heap"), "local master: the executor is the driver's JVM, measured above"));
        }
        return out;
    }

    private static Figure growth(Figure f) {
        return f.verdict() == Figure.Verdict.MISS ? f.withNote("grew: something is kept per step (broadcasts not destroyed, growing buffers)") : f;
    }
}
