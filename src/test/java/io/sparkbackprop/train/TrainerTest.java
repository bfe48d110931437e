package io.sparkbackprop.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.ReferenceNetwork;
import io.sparkbackprop.SparkTestSession;
import io.sparkbackprop.data.Block;
import io.sparkbackprop.data.Friedman1;
import io.sparkbackprop.io.EpochRecord;
import io.sparkbackprop.nn.Activation;
import io.sparkbackprop.nn.Initializer;
import io.sparkbackprop.nn.Loss;
import io.sparkbackprop.nn.Topology;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
    private static SparkSession spark;
    private static JavaSparkContext sc;
    private static final Topology TOPOLOGY = new Topology(new int[] {10, 8, 6, 1},
            new Activation[] {Activation.TANH, Activation.RELU, Activation.LINEAR}, Loss.MSE);

    @BeforeAll
    static void start() {
        spark = SparkTestSession.start("TrainerTest");
        sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** The same rows (data depends only on seed and row count) cut into a given number of partitions. */
    private static TrainingSet friedman(long rows, int partitions, long seed) {
        JavaRDD<Block> blocks = Friedman1.generate(sc, rows, 1, seed, 64).repartition(1);
        List<Block> all = blocks.collect();
        // Re-cut the single partition's rows into contiguous partitions, keeping row order.
        List<double[][]> rowList = rowsOf(all);
        List<Block> parts = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            int from = rowList.size() * p / partitions;
            int to = rowList.size() * (p + 1) / partitions;
            parts.add(blockOf(rowList.subList(from, to)));
        }
        return TrainingSet.cache(sc.parallelize(parts, partitions), "friedman-" + partitions);
    }

    private static List<double[][]> rowsOf(List<Block> blocks) {
        List<double[][]> rows = new ArrayList<>();
        for (Block b : blocks) {
            for (int j = 0; j < b.rows(); j++) {
                double[] x = new double[b.numFeatures()];
                double[] y = new double[b.labelWidth()];
                System.arraycopy(b.features(), j * x.length, x, 0, x.length);
                System.arraycopy(b.labels(), j * y.length, y, 0, y.length);
                rows.add(new double[][] {x, y});
            }
        }
        return rows;
    }

    private static Block blockOf(List<double[][]> rows) {
        int f = rows.get(0)[0].length;
        int l = rows.get(0)[1].length;
        double[] x = new double[rows.size() * f];
        double[] y = new double[rows.size() * l];
        for (int j = 0; j < rows.size(); j++) {
            System.arraycopy(rows.get(j)[0], 0, x, j * f, f);
            System.arraycopy(rows.get(j)[1], 0, y, j * l, l);
        }
        return new Block(rows.size(), f, l, x, y);
    }

    private static double[][][] arraysOf(TrainingSet set) {
        List<double[][]> rows = rowsOf(set.blocks().collect());
        double[][] xs = new double[rows.size()][];
        double[][] ys = new double[rows.size()][];
        for (int i = 0; i < rows.size(); i++) {
            xs[i] = rows.get(i)[0];
            ys[i] = rows.get(i)[1];
        }
        return new double[][][] {xs, ys};
    }

    private static ReferenceNetwork reference(double[] w) {
        ReferenceNetwork ref = new ReferenceNetwork(TOPOLOGY.sizes(), new String[] {"tanh", "relu", "linear"}, "mse");
        ref.setFlat(w);
        return ref;
    }

    private static void assertClose(double expected, double actual, double relTol, String what) {
        assertTrue(Math.abs(expected - actual) <= relTol * Math.max(1e-300, Math.abs(expected)),
                what + ": expected " + expected + " but got " + actual);
    }

    @Test
    void oneDistributedStepEqualsThePlainLoopOnOneAndFourPartitions() {
        double[] w0 = Initializer.XAVIER.initialize(TOPOLOGY, 3);
        for (int partitions : new int[] {1, 4}) {
            TrainingSet data = friedman(300, partitions, 5);
            double[][][] xy = arraysOf(data);
            ReferenceNetwork ref = reference(w0);
            ref.sgdStep(xy[0], xy[1], 0.05);
            TrainingConfig cfg = TrainingConfig.defaults().withEpochs(1).withBatchSize(0)
                    .withOptimizer(OptimizerKind.SGD).withLearningRate(0.05);
            TrainingResult r = new Trainer(sc, cfg).fit(TOPOLOGY, w0, data, null, TrainingListener.NONE);
            double[] expected = ref.flat();
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], r.weights()[i], 1e-12, partitions + " partitions, parameter " + i);
            }
            assertClose(reference(w0).cost(xy[0], xy[1]), r.history().get(0).trainLoss(), 1e-12, "loss before the update");
            data.unpersist();
        }
    }

    @Test
    void aListenerThatAsksToStopEndsTheRunAfterThatEpochWithItsWeights() {
        double[] w0 = Initializer.XAVIER.initialize(TOPOLOGY, 3);
        TrainingSet data = friedman(200, 2, 5);
        double[][][] xy = arraysOf(data);
        ReferenceNetwork ref = reference(w0);
        ref.sgdStep(xy[0], xy[1], 0.05);
        ref.sgdStep(xy[0], xy[1], 0.05);
        List<Integer> epochsSeen = new ArrayList<>();
        TrainingListener stopAfterTwo = new TrainingListener() {
            @Override
            public void afterEpoch(int epoch, java.util.function.Supplier<TrainingState> state) {
                epochsSeen.add(epoch);
            }

            @Override
            public boolean stopRequested() {
                return epochsSeen.size() == 2;
            }
        };
        TrainingConfig cfg = TrainingConfig.defaults().withEpochs(10).withBatchSize(0)
                .withOptimizer(OptimizerKind.SGD).withLearningRate(0.05);
        TrainingResult r = new Trainer(sc, cfg).fit(TOPOLOGY, w0, data, null, TrainingListener.all(TrainingListener.NONE, stopAfterTwo));
        assertEquals(List.of(1, 2), epochsSeen);
        assertEquals(2, r.history().size());
        assertEquals(2, r.steps());
        double[] expected = ref.flat();
        for (int i = 0; i < expected.length; i++) assertEquals(expected[i], r.weights()[i], 1e-12, "parameter " + i);
        data.unpersist();
    }

    @Test
    void aListenerCanStopTheRunBetweenTwoStepsOfAnEpoch() {
        double[] w0 = Initializer.XAVIER.initialize(TOPOLOGY, 3);
        TrainingSet data = friedman(200, 1, 5);
        int[] stepsSeen = {0};
        TrainingListener afterOne = new TrainingListener() {
            @Override
            public void onStep(int epoch, int step, double lossSum, double rows) {
                stepsSeen[0]++;
            }

            @Override
            public boolean stopRequested() {
                return stepsSeen[0] == 2;
            }
        };
        TrainingConfig cfg = TrainingConfig.defaults().withEpochs(3).withBatchSize(100).withOptimizer(OptimizerKind.SGD)
                .withLearningRate(0.05);
        TrainingResult r = new Trainer(sc, cfg).fit(TOPOLOGY, w0, data, null, afterOne);
        assertEquals(2, stepsSeen[0], "two steps of the first epoch's two, then the epoch's end: the run stops there");
        assertEquals(1, r.history().size());
        stepsSeen[0] = 0;
        TrainingResult midEpoch = new Trainer(sc, cfg.withBatchSize(50)).fit(TOPOLOGY, w0, data, null, afterOne);
        assertEquals(2, midEpoch.steps(), "stopped after the second of four steps");
        assertEquals(0, midEpoch.history().size(), "the partial epoch has no record");
        data.unpersist();
    }

    @Test
    void oneMiniBatchStepUsesTheEpochOrderSliceOfEachPartition() {
        double[] w0 = Initializer.XAVIER.initialize(TOPOLOGY, 4);
        int partitions = 2;
        TrainingSet data = friedman(200, partitions, 6);
        int batch = 40; // 5 steps per epoch, 20 rows of each partition per step
        BatchPlan plan = BatchPlan.of(200, batch);
        List<double[]> xs = new ArrayList<>();
        List<double[]> ys = new ArrayList<>();
        List<List<double[][]>> byPartition = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            int part = p;
            byPartition.add(rowsOf(data.blocks().mapPartitionsWithIndex((i, it) -> i == part ? it : java.util.Collections.emptyIterator(), true).collect()));
        }
        int step = 0;
        for (int p = 0; p < partitions; p++) {
            List<double[][]> rows = byPartition.get(p);
            EpochOrder order = new EpochOrder(rows.size(), 42L, 1, p);
            for (long pos = plan.sliceStart(rows.size(), step, p, partitions); pos < plan.sliceEnd(rows.size(), step, p, partitions); pos++) {
                double[][] row = rows.get((int) order.rowAt(pos));
                xs.add(row[0]);
                ys.add(row[1]);
            }
        }
        ReferenceNetwork ref = reference(w0);
        double[][] bx = xs.toArray(new double[0][]);
        double[][] by = ys.toArray(new double[0][]);
        double expectedLoss = ref.cost(bx, by);
        ref.sgdStep(bx, by, 0.01);
        List<double[]> stepLosses = new ArrayList<>();
        TrainingListener firstStep = new TrainingListener() {
            @Override
            public void onStep(int epoch, int s, double lossSum, double rows) {
                stepLosses.add(new double[] {lossSum, rows});
            }
        };
        // The step losses come from a one-epoch run; the first step's update is checked below from its aggregate.
        TrainingConfig cfg = TrainingConfig.defaults().withEpochs(1).withBatchSize(batch)
                .withOptimizer(OptimizerKind.SGD).withLearningRate(0.01).withSeed(42L);
        new Trainer(sc, cfg).fit(TOPOLOGY, w0, data, null, firstStep);
        assertEquals(5, stepLosses.size());
        assertEquals(40, stepLosses.get(0)[1]);
        assertClose(expectedLoss, stepLosses.get(0)[0] / 40, 1e-12, "first step's batch loss");
        // The update itself, straight from the step runner.
        org.apache.spark.broadcast.Broadcast<double[]> bw = sc.broadcast(w0.clone());
        double[] agg = StepRunner.gradient(data, bw, TOPOLOGY, plan, TrainingConfig.defaults().withSeed(42L).withChunkSize(16)
                .withAggregationDepth(2), 1, 0);
        bw.destroy();
        double[] expected = ref.flat();
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], w0[i] - 0.01 * agg[i] / 40, 1e-12, "parameter " + i);
        }
        data.unpersist();
    }

    @Test
    void fullBatchTrajectoryMatchesTheReferenceNetworkOnOneAndThreePartitions() {
        double[] w0 = Initializer.SCALED_NORMAL.initialize(TOPOLOGY, 9);
        double lr = 0.01;
        int epochs = 8;
        List<List<EpochRecord>> histories = new ArrayList<>();
        List<double[]> finals = new ArrayList<>();
        TrainingSet test = friedman(120, 2, 77);
        double[][][] txy = arraysOf(test);
        for (int partitions : new int[] {1, 3}) {
            TrainingSet train = friedman(240, partitions, 8);
            TrainingConfig cfg = TrainingConfig.defaults().withEpochs(epochs).withBatchSize(0)
                    .withOptimizer(OptimizerKind.SGD).withLearningRate(lr);
            TrainingResult r = new Trainer(sc, cfg).fit(TOPOLOGY, w0, train, test, TrainingListener.NONE);
            histories.add(r.history());
            finals.add(r.weights());
            if (partitions == 1) {
                // The reference: per epoch, train loss before the update, then the update, then test loss.
                double[][][] xy = arraysOf(train);
                ReferenceNetwork ref = reference(w0);
                for (int e = 0; e < epochs; e++) {
                    double trainLoss = ref.cost(xy[0], xy[1]);
                    ref.sgdStep(xy[0], xy[1], lr);
                    double testLoss = ref.cost(txy[0], txy[1]);
                    assertClose(trainLoss, r.history().get(e).trainLoss(), 1e-9, "epoch " + (e + 1) + " train loss");
                    assertClose(testLoss, r.history().get(e).testLoss(), 1e-9, "epoch " + (e + 1) + " test loss");
                }
                double[] expected = ref.flat();
                for (int i = 0; i < expected.length; i++) assertClose(expected[i], r.weights()[i], 1e-9, "parameter " + i);
            }
            train.unpersist();
        }
        for (int e = 0; e < epochs; e++) {
            assertClose(histories.get(0).get(e).trainLoss(), histories.get(1).get(e).trainLoss(), 1e-9, "train loss, 1 vs 3 partitions");
            assertClose(histories.get(0).get(e).testLoss(), histories.get(1).get(e).testLoss(), 1e-9, "test loss, 1 vs 3 partitions");
        }
        for (int i = 0; i < finals.get(0).length; i++) assertClose(finals.get(0)[i], finals.get(1)[i], 1e-9, "weight " + i);
        test.unpersist();
    }

    @Test
    void everyRowIsUsedExactlyOncePerEpochInAFreshOrder() {
        // Labels are row ids and the network outputs 0 (all weights 0, a negligible learning rate), so a
        // step's loss sum is the sum of its rows' squared ids.
        int n = 997;
        List<Block> parts = new ArrayList<>();
        int partitions = 3;
        for (int p = 0; p < partitions; p++) {
            int from = n * p / partitions;
            int to = n * (p + 1) / partitions;
            double[] x = new double[to - from];
            double[] y = new double[to - from];
            for (int i = from; i < to; i++) y[i - from] = i;
            parts.add(new Block(to - from, 1, 1, x, y));
        }
        TrainingSet data = TrainingSet.cache(sc.parallelize(parts, partitions), "ids");
        Topology linear = new Topology(new int[] {1, 1}, new Activation[] {Activation.LINEAR}, Loss.MSE);
        List<double[]> steps = new ArrayList<>();
        TrainingListener record = new TrainingListener() {
            @Override
            public void onStep(int epoch, int step, double lossSum, double rows) {
                steps.add(new double[] {epoch, step, lossSum, rows});
            }
        };
        TrainingConfig cfg = TrainingConfig.defaults().withEpochs(3).withBatchSize(50)
                .withOptimizer(OptimizerKind.SGD).withLearningRate(1e-300);
        new Trainer(sc, cfg).fit(linear, new double[2], data, null, record);
        double expectedSquares = 0;
        for (int i = 0; i < n; i++) expectedSquares += (double) i * i;
        int stepsPerEpoch = 20;
        assertEquals(3 * stepsPerEpoch, steps.size());
        for (int e = 1; e <= 3; e++) {
            double squares = 0;
            long rows = 0;
            for (double[] s : steps) {
                if (s[0] == e) {
                    squares += s[2];
                    rows += (long) s[3];
                    assertTrue(s[3] >= 48 && s[3] <= 51, "batch of " + s[3] + " rows");
                }
            }
            assertEquals(n, rows, "rows in epoch " + e);
            assertEquals(expectedSquares, squares, 1e-6, "sum of squared row ids in epoch " + e);
        }
        assertNotEquals(steps.get(0)[2], steps.get(stepsPerEpoch)[2], "epoch 2 must start from a different batch");
        data.unpersist();
    }

    @Test
    void sameSeedAndPartitioningGiveTheSameModel() {
        TrainingSet data = friedman(400, 5, 10);
        double[] w0 = Initializer.HE.initialize(TOPOLOGY, 1);
        TrainingConfig cfg = TrainingConfig.defaults().withEpochs(3).withBatchSize(32).withSeed(5);
        double[] a = new Trainer(sc, cfg).fit(TOPOLOGY, w0, data, null, TrainingListener.NONE).weights();
        double[] b = new Trainer(sc, cfg).fit(TOPOLOGY, w0, data, null, TrainingListener.NONE).weights();
        double[] c = new Trainer(sc, cfg.withSeed(6)).fit(TOPOLOGY, w0, data, null, TrainingListener.NONE).weights();
        assertEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(b));
        assertNotEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(c));
        data.unpersist();
    }

    @Test
    void theTreeAggregateDepthDoesNotChangeTheModel() {
        // Depth 1 sums the partitions on the driver from one runJob; depth 2 and 3 go through Spark's treeAggregate, whose
        // shuffle levels (9 partitions) deliver partial sums in any order: the same bits either way.
        TrainingSet data = friedman(270, 9, 12);
        double[] w0 = Initializer.HE.initialize(TOPOLOGY, 2);
        TrainingConfig cfg = TrainingConfig.defaults().withEpochs(2).withBatchSize(45).withSeed(3);
        String depth1 = java.util.Arrays.toString(new Trainer(sc, cfg.withAggregationDepth(1)).fit(TOPOLOGY, w0, data, null,
                TrainingListener.NONE).weights());
        for (int depth : new int[] {2, 3}) {
            assertEquals(depth1, java.util.Arrays.toString(new Trainer(sc, cfg.withAggregationDepth(depth)).fit(TOPOLOGY, w0, data, null,
                    TrainingListener.NONE).weights()), "depth " + depth);
        }
        data.unpersist();
    }

    @Test
    void adamsFirstStepMovesEachWeightByTheLearningRateAgainstItsGradientSign() {
        TrainingSet data = friedman(100, 2, 12);
        double[] w0 = Initializer.XAVIER.initialize(TOPOLOGY, 2);
        double[][][] xy = arraysOf(data);
        double[] g = reference(w0).gradient(xy[0], xy[1]);
        TrainingConfig cfg = TrainingConfig.defaults().withEpochs(1).withBatchSize(0).withLearningRate(0.01);
        double[] w1 = new Trainer(sc, cfg).fit(TOPOLOGY, w0, data, null, TrainingListener.NONE).weights();
        for (int i = 0; i < w0.length; i++) {
            // Closed form of Adam's first step: m̂ = g, v̂ = g², so Δw = −lr·g/(|g| + ε).
            double expected = w0[i] - 0.01 * g[i] / (Math.abs(g[i]) + 1e-8);
            assertEquals(expected, w1[i], 1e-12, "parameter " + i);
        }
        data.unpersist();
    }

    @Test
    void divergenceStopsWithEpochStepAndAdvice() {
        TrainingSet data = friedman(200, 2, 13);
        double[] w0 = Initializer.HE.initialize(TOPOLOGY, 1);
        TrainingConfig cfg = TrainingConfig.defaults().withEpochs(50).withBatchSize(20)
                .withOptimizer(OptimizerKind.SGD).withLearningRate(1e3);
        DivergenceException e = assertThrows(DivergenceException.class,
                () -> new Trainer(sc, cfg).fit(TOPOLOGY, w0, data, null, TrainingListener.NONE));
        assertTrue(e.getMessage().contains("epoch " + e.epoch() + ", step " + e.step()), e.getMessage());
        assertTrue(e.getMessage().contains("lower --learning-rate"), e.getMessage());
        data.unpersist();
    }

    @Test
    void cachedBlocksTakeLittleMoreThanTheRawDoubles() {
        long rows = 20_000;
        TrainingSet data = TrainingSet.cache(Friedman1.generate(sc, rows, 2, 1, 4096), "size-check");
        long cached = 0;
        for (org.apache.spark.storage.RDDInfo info : sc.sc().getRDDStorageInfo()) {
            if (info.id() == data.blocks().id()) cached = info.memSize() + info.diskSize();
        }
        double raw = rows * (Friedman1.FEATURES + 1) * 8.0;
        assertTrue(cached > 0, "nothing cached");
        assertTrue(cached <= 1.3 * raw, "cached " + cached + " bytes for " + raw + " raw bytes");
        data.unpersist();
    }

    @Test
    void anExplodingGradientStopsTrainingAndLeavesTheLastGoodCheckpoint(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        // ŷ = w·x + b on x = 1, y = 0: plain gradient descent with lr 1.5 multiplies the error by −5 per step,
        // so the gradient norm passes a million times its first value in the 10th step, while the loss is still finite.
        int n = 4;
        List<Block> parts = List.of(new Block(n, 1, 1, new double[] {1, 1, 1, 1}, new double[n]));
        TrainingSet data = TrainingSet.cache(sc.parallelize(parts, 1), "exploding");
        Topology linear = new Topology(new int[] {1, 1}, new Activation[] {Activation.LINEAR}, Loss.MSE);
        TrainingConfig cfg = TrainingConfig.defaults().withEpochs(20).withBatchSize(0).withOptimizer(OptimizerKind.SGD)
                .withLearningRate(1.5);
        Checkpoints checkpoints = new Checkpoints(dir.toString(), sc.hadoopConfiguration());
        TrainingListener writer = new CheckpointWriter(checkpoints, 1, linear, null, CheckpointWriter.settingsOf(linear, cfg, data));
        DivergenceException e = assertThrows(DivergenceException.class,
                () -> new Trainer(sc, cfg).fit(linear, new double[] {1, 0}, data, null, writer));
        assertTrue(e.getMessage().contains("gradient norm"), e.getMessage());
        // 2·(w+b) per weight, growing 5× per step: first norm 2√2, so the 10th step (5^9 ≈ 2e6) is the first over.
        assertEquals(10, e.epoch(), e.getMessage());
        Checkpoints.Saved last = checkpoints.latest().orElseThrow();
        assertEquals(9, last.state().epoch());
        for (double w : last.state().weights()) assertTrue(Double.isFinite(w));
        data.unpersist();
    }
}
