package io.sparkbackprop.bench;

import io.sparkbackprop.nn.Activation;
import io.sparkbackprop.nn.Loss;
import io.sparkbackprop.nn.Precision;
import io.sparkbackprop.nn.Topology;
import io.sparkbackprop.train.BatchPlan;
import io.sparkbackprop.train.TrainingConfig;
import io.sparkbackprop.train.TrainingSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * The pytorch section: ours against PyTorch on the CPU, the same work in the same run, PyTorch with as many
 * threads as Spark has task slots. Two workloads: the full-batch iteration of the mllib section (our default rows
 * per product: PyTorch multiplies all rows at once) and a step of the wide network (784-2048-2048-10 relu, Adam,
 * batch 256: our defaults), where our step also carries the weights to the tasks and the gradients back. Each in
 * double against float64 and in float against float32. PyTorch is optional ({@link PyTorch}): without it the
 * figures are not measured, and our runs are skipped.
 */
final class VsPyTorch {
    static final String SECTION = "vs PyTorch";
    static final int WIDE_BATCH = 256;
    /** Batches in the wide network's data: its steps cycle through them. */
    static final int WIDE_BATCHES = 20;

    private VsPyTorch() {
    }

    static List<Figure> run(SparkSession spark, JavaSparkContext sc, TrainingSet train, Topology sigmoid, int partitions, BenchSettings s) {
        PyTorch.Timing probe = PyTorch.probe();
        int threads = sc.defaultParallelism();
        String onCluster = sc.master().startsWith("local") ? "" : "; on a cluster master PyTorch runs on the driver's machine only";
        List<Figure> figures = new ArrayList<>();
        if (!probe.measured()) {
            for (String key : List.of("pytorch.iteration", "pytorch.iteration-float", "pytorch.wide-step", "pytorch.wide-step-float")) {
                figures.add(Figure.of(SECTION, key, metric(key, s), "s", Double.NaN, Double.NaN, s.target(key), probe.error()));
            }
            return figures;
        }

        int chunk = TrainingConfig.defaults().chunkSize();
        FullBatchRace.Result ours = FullBatchRace.run(sc, null, train, sigmoid, s, false, chunk);
        for (Precision p : Precision.values()) {
            boolean single = p == Precision.FLOAT;
            PyTorch.Timing torch = PyTorch.time(new PyTorch.Work(s.layerSizes(), "sigmoid", single ? "float32" : "float64", (int) train.rows(), 0,
                    "sgd", 0.03, threads, Math.max(2, s.iterations()), Math.max(3, s.repeats()), s.seed()));
            String key = single ? "pytorch.iteration-float" : "pytorch.iteration";
            double mine = single ? ours.oursFloatSecondsPerIteration() : ours.oursSecondsPerIteration();
            figures.add(figure(key, s, mine, torch, String.format(Locale.ROOT, "ours: as the mllib section's (fit of N − fit of 1)/(N − 1),"
                    + " %,d rows in %d partitions, %d rows per product (the default; PyTorch multiplies all rows at once); PyTorch %s %s,"
                    + " %d threads, SGD on the same sizes of random rows, median of its timed turns%s", train.rows(), train.numPartitions(),
                    chunk, torch.version(), single ? "float32" : "float64", threads, onCluster)));
        }

        int w = s.wideWidth();
        Topology wide = Topology.input(MnistFiles.PIXELS).layer(w, Activation.RELU).layer(w, Activation.RELU)
                .output(MnistFiles.CLASSES, Loss.CROSS_ENTROPY);
        int rows = WIDE_BATCH * WIDE_BATCHES;
        TrainingSet wideSet = BenchData.generatedBlocks(spark, rows, partitions, s.seed(), 5, "bench-wide");
        TrainingSet wideFloat = null;
        try {
            wideFloat = wideSet.inSingle("bench-wide-float");
            int warm = 3;
            int timed = Math.min(30, s.steps());
            int perEpoch = BatchPlan.of(wideSet.rows(), WIDE_BATCH).stepsPerEpoch();
            TrainingConfig config = TrainingConfig.defaults().withBatchSize(WIDE_BATCH).withSeed(s.seed()).withEvalEvery(Integer.MAX_VALUE)
                    .withEpochs((warm + timed + perEpoch - 1) / perEpoch);
            List<Double> doubleSteps = new ArrayList<>();
            List<Double> floatSteps = new ArrayList<>();
            for (int r = 0; r < s.repeats(); r++) {
                doubleSteps.add(Speedup.medianStepSeconds(sc, wideSet, wide, config, warm, warm + timed));
                floatSteps.add(Speedup.medianStepSeconds(sc, wideFloat, wide, config.withPrecision(Precision.FLOAT), warm, warm + timed));
            }
            for (Precision p : Precision.values()) {
                boolean single = p == Precision.FLOAT;
                PyTorch.Timing torch = PyTorch.time(new PyTorch.Work(new int[] {MnistFiles.PIXELS, w, w, MnistFiles.CLASSES}, "relu",
                        single ? "float32" : "float64", rows, WIDE_BATCH, "adam", 1e-3, threads, 10, 5, s.seed()));
                String key = single ? "pytorch.wide-step-float" : "pytorch.wide-step";
                double mine = StepOverhead.median(single ? floatSteps : doubleSteps);
                Figure f = figure(key, s, mine, torch, String.format(Locale.ROOT, "ours: median interval between consecutive steps' ends"
                        + " over %d steps after %d warm-up steps, medians of %d turns, %s, %,d weights, on %,d generated rows in %d partitions;"
                        + " PyTorch %s %s, %d threads, the same network and optimizer on random rows, median of 5 turns of 10 steps%s", timed,
                        warm, s.repeats(), single ? "--precision float" : "double", wide.numParams(), rows, wideSet.numPartitions(), torch.version(),
                        single ? "float32" : "float64", threads, onCluster));
                if (f.verdict() == Figure.Verdict.MISS) {
                    f = f.withNote("beside the products a step carries the weights to every task (a broadcast) and each task's whole"
                            + " gradient back (8 bytes a weight); README, Performance, says where the step's time goes");
                }
                figures.add(f);
            }
        } finally {
            wideSet.unpersist();
            if (wideFloat != null) wideFloat.unpersist();
        }
        return figures;
    }

    private static Figure figure(String key, BenchSettings s, double ours, PyTorch.Timing torch, String note) {
        return Figure.of(SECTION, key, metric(key, s), "s", ours, torch.measured() ? torch.seconds() : Double.NaN, s.target(key),
                torch.measured() ? note : torch.error());
    }

    private static String metric(String key, BenchSettings s) {
        String wide = String.format(Locale.ROOT, "784-%d-%d-10 relu, Adam, batch %d", s.wideWidth(), s.wideWidth(), WIDE_BATCH);
        return switch (key) {
            case "pytorch.iteration" -> "s per full-batch iteration vs PyTorch float64";
            case "pytorch.iteration-float" -> "s per full-batch iteration in float vs PyTorch float32";
            case "pytorch.wide-step" -> "s per step, " + wide + ", vs PyTorch float64";
            case "pytorch.wide-step-float" -> "s per step in float, " + wide + ", vs PyTorch float32";
            default -> throw new IllegalArgumentException(key);
        };
    }
}
