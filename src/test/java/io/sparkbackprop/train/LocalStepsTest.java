package io.sparkbackprop.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.ReferenceNetwork;
import io.sparkbackprop.SparkTestSession;
import io.sparkbackprop.data.Block;
import io.sparkbackprop.io.EpochRecord;
import io.sparkbackprop.nn.Activation;
import io.sparkbackprop.nn.Initializer;
import io.sparkbackprop.nn.Loss;
import io.sparkbackprop.nn.Topology;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --local-steps K: each partition takes K steps of the epoch on its own per job, then the driver averages the models. */
class LocalStepsTest {
    private static SparkSession spark;
    private static JavaSparkContext sc;
    private static final Topology T = new Topology(new int[] {4, 6, 1}, new Activation[] {Activation.TANH, Activation.LINEAR}, Loss.MSE);
    /** Uneven on purpose: partition 0 has rows in only some steps, so some jobs give it no rows and weight 0. */
    private static final int[] SIZES = {3, 110, 127};

    @BeforeAll
    static void start() {
        spark = SparkTestSession.start("LocalStepsTest");
        sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** Rows of partition p as {x, y}, made here (not by the product): y = sin(x0) + x1·x2 − x3/2. */
    private static List<List<double[][]>> rows(int[] sizes, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<List<double[][]>> parts = new ArrayList<>();
        for (int size : sizes) {
            List<double[][]> part = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                double[] x = new double[4];
                for (int j = 0; j < 4; j++) x[j] = rng.nextDouble(-1, 1);
                part.add(new double[][] {x, {Math.sin(x[0]) + x[1] * x[2] - x[3] / 2}});
            }
            parts.add(part);
        }
        return parts;
    }

    /** One block per partition, in the rows' order. */
    private static TrainingSet cache(List<List<double[][]>> parts) {
        List<Block> blocks = new ArrayList<>();
        for (List<double[][]> part : parts) {
            double[] x = new double[part.size() * 4];
            double[] y = new double[part.size()];
            for (int i = 0; i < part.size(); i++) {
                System.arraycopy(part.get(i)[0], 0, x, 4 * i, 4);
                y[i] = part.get(i)[1][0];
            }
            blocks.add(new Block(part.size(), 4, 1, x, y));
        }
        TrainingSet set = TrainingSet.cache(sc.parallelize(blocks, blocks.size()), "local-steps");
        long[] expected = new long[parts.size()];
        for (int p = 0; p < expected.length; p++) expected[p] = parts.get(p).size();
        assertArrayEquals(expected, set.rowsPerPartition(), "one block per partition");
        return set;
    }

    private static TrainingResult fit(TrainingConfig config, TrainingSet data, TrainingListener listener) {
        return new Trainer(sc, config).fit(T, Initializer.XAVIER.initialize(T, 7), data, null, listener);
    }

    @Test
    void onOnePartitionLocalStepsAreTheSynchronousStepsForSgdAndAdam() {
        TrainingSet one = cache(rows(new int[] {240}, 1));
        TrainingConfig sgd = TrainingConfig.defaults().withEpochs(3).withBatchSize(30).withOptimizer(OptimizerKind.SGD)
                .withLearningRate(0.05).withSeed(3);
        // Adam with everything a step involves: L2, clipping, dropout's keys and a per-step cosine rate after warm-up.
        TrainingConfig adam = TrainingConfig.defaults().withEpochs(3).withBatchSize(30).withOptimizer(OptimizerKind.ADAM)
                .withLearningRate(0.01).withSeed(3).withL2(1e-3).withClipNorm(0.5).withDropout(0.2)
                .withSchedule(LearningRateSchedule.of("cosine", null, 1, 1e-4, 1));
        // And in float precision: the local steps run the same float kernel as the synchronous ones.
        TrainingConfig adamFloat = adam.withPrecision(io.sparkbackprop.nn.Precision.FLOAT);
        for (TrainingConfig sync : new TrainingConfig[] {sgd, adam, adamFloat}) {
            TrainingResult expected = fit(sync, one, TrainingListener.NONE);
            for (int k : new int[] {3, 8}) { // 8 steps per epoch: groups 3, 3, 2, or the whole epoch in one job
                TrainingResult local = fit(sync.withLocalSteps(k), one, TrainingListener.NONE);
                String what = sync.optimizer().id() + " " + sync.precision().id() + ", K " + k;
                assertArrayEquals(expected.weights(), local.weights(), 1e-12, what);
                assertEquals(expected.steps(), local.steps(), what);
                for (int e = 0; e < 3; e++) {
                    EpochRecord a = expected.history().get(e);
                    EpochRecord b = local.history().get(e);
                    assertEquals(a.trainLoss(), b.trainLoss(), 1e-12 * a.trainLoss(), what + ", epoch " + (e + 1));
                    assertEquals(a.learningRate(), b.learningRate(), 0.0, what + ", rate of epoch " + (e + 1));
                }
            }
        }
        one.unpersist();
    }

    /**
     * The plain loop the mode stands for, with the reference network: every partition runs SGD from the job's
     * start on its own slices (the synchronous plan's rows for each step), then the models are averaged by rows.
     * Returns the weights after the epochs and adds each step's {loss sum, rows} to {@code steps}.
     */
    private static double[] referenceLocalSgd(List<List<double[][]>> parts, double[] w0, int batch, int k, int epochs, double lr,
                                              long seed, List<double[]> steps) {
        long total = 0;
        for (List<double[][]> part : parts) total += part.size();
        BatchPlan plan = BatchPlan.of(total, batch);
        int partitions = parts.size();
        double[] w = w0.clone();
        ReferenceNetwork ref = new ReferenceNetwork(T.sizes(), new String[] {"tanh", "linear"}, "mse");
        for (int epoch = 1; epoch <= epochs; epoch++) {
            for (int first = 0; first < plan.stepsPerEpoch(); first += k) {
                int last = Math.min(first + k, plan.stepsPerEpoch());
                double[] weightedSum = new double[w.length];
                double rowsInJob = 0;
                double[][] stepSums = new double[last - first][2];
                for (int p = 0; p < partitions; p++) {
                    List<double[][]> part = parts.get(p);
                    EpochOrder order = new EpochOrder(part.size(), seed, epoch, p);
                    ref.setFlat(w);
                    double n = 0;
                    for (int s = first; s < last; s++) {
                        List<double[]> xs = new ArrayList<>();
                        List<double[]> ys = new ArrayList<>();
                        for (long pos = plan.sliceStart(part.size(), s, p, partitions); pos < plan.sliceEnd(part.size(), s, p, partitions); pos++) {
                            double[][] row = part.get((int) order.rowAt(pos));
                            xs.add(row[0]);
                            ys.add(row[1]);
                        }
                        if (xs.isEmpty()) continue;
                        double[][] bx = xs.toArray(new double[0][]);
                        double[][] by = ys.toArray(new double[0][]);
                        stepSums[s - first][0] += ref.cost(bx, by) * bx.length;
                        stepSums[s - first][1] += bx.length;
                        ref.sgdStep(bx, by, lr);
                        n += bx.length;
                    }
                    double[] wp = ref.flat();
                    for (int i = 0; i < w.length; i++) weightedSum[i] += n * wp[i];
                    rowsInJob += n;
                }
                for (int i = 0; i < w.length; i++) w[i] = weightedSum[i] / rowsInJob;
                for (double[] s : stepSums) steps.add(s);
            }
        }
        return w;
    }

    @Test
    void onThreePartitionsSgdEndsAtTheRowWeightedAverageOfEachPartitionsOwnSteps() {
        List<List<double[][]>> parts = rows(SIZES, 2);
        TrainingSet data = cache(parts);
        double[] w0 = Initializer.XAVIER.initialize(T, 7);
        // 240 rows, batch 30: 8 steps per epoch. Partition 0's 3 rows fall in steps 2, 5 and 7 only.
        for (int k : new int[] {2, 3}) {
            List<double[]> expectedSteps = new ArrayList<>();
            double[] expected = referenceLocalSgd(parts, w0, 30, k, 2, 0.1, 5, expectedSteps);
            List<double[]> steps = new ArrayList<>();
            TrainingConfig config = TrainingConfig.defaults().withEpochs(2).withBatchSize(30).withOptimizer(OptimizerKind.SGD)
                    .withLearningRate(0.1).withSeed(5).withLocalSteps(k);
            TrainingResult r = fit(config, data, new TrainingListener() {
                @Override
                public void onStep(int epoch, int step, double lossSum, double rows) {
                    steps.add(new double[] {lossSum, rows});
                }
            });
            assertArrayEquals(expected, r.weights(), 1e-12, "K " + k);
            assertEquals(16, steps.size(), "every global step is reported");
            for (int s = 0; s < 16; s++) {
                assertEquals(expectedSteps.get(s)[1], steps.get(s)[1], 0.0, "rows of step " + s);
                assertEquals(expectedSteps.get(s)[0], steps.get(s)[0], 1e-12 * expectedSteps.get(s)[0], "loss of step " + s);
            }
            assertEquals(16, r.steps());
        }
        data.unpersist();
    }

    @Test
    void theSameSeedAndPartitioningGiveTheSameBitsAndAnotherTrajectoryThanSynchronous() {
        TrainingSet data = cache(rows(SIZES, 3));
        TrainingConfig config = TrainingConfig.defaults().withEpochs(3).withBatchSize(24).withOptimizer(OptimizerKind.ADAM)
                .withLearningRate(0.01).withSeed(9).withDropout(0.1).withLocalSteps(4);
        TrainingResult a = fit(config, data, TrainingListener.NONE);
        TrainingResult b = fit(config, data, TrainingListener.NONE);
        assertArrayEquals(a.weights(), b.weights(), 0.0);
        for (int e = 0; e < 3; e++) assertEquals(a.history().get(e).trainLoss(), b.history().get(e).trainLoss(), 0.0);
        // Several partitions average their Adam updates rather than taking Adam steps on the mean gradient.
        TrainingResult sync = fit(config.withLocalSteps(1), data, TrainingListener.NONE);
        double largest = 0;
        for (int i = 0; i < a.weights().length; i++) largest = Math.max(largest, Math.abs(a.weights()[i] - sync.weights()[i]));
        assertTrue(largest > 1e-4, "local steps on 3 partitions should not be the synchronous run (largest difference " + largest + ")");
        data.unpersist();
    }

    @Test
    void aHugeLearningRateStopsWithADivergenceException() {
        TrainingSet data = cache(rows(SIZES, 4));
        TrainingConfig config = TrainingConfig.defaults().withEpochs(50).withBatchSize(20).withOptimizer(OptimizerKind.SGD)
                .withLearningRate(1e3).withLocalSteps(4);
        DivergenceException e = assertThrows(DivergenceException.class, () -> fit(config, data, TrainingListener.NONE));
        assertTrue(e.getMessage().contains("training diverged at epoch " + e.epoch() + ", step " + e.step()), e.getMessage());
        assertTrue(e.getMessage().contains("lower --learning-rate"), e.getMessage());
        data.unpersist();
    }

    @Test
    void theExplodingGradientCheckStopsAtTheSameGlobalStepAsSynchronous(@TempDir Path dir) {
        // ŷ = w·x + b on x = 1, y = 0, batch 2 of 4 equal rows: every step multiplies the error by −5 at lr 1.5, so the
        // gradient norm (2√2 at first) passes 1e6 times the first in global step 10, epoch 5's second, while all is finite.
        TrainingSet data = TrainingSet.cache(sc.parallelize(List.of(new Block(4, 1, 1, new double[] {1, 1, 1, 1}, new double[4])), 1),
                "exploding");
        Topology linear = new Topology(new int[] {1, 1}, new Activation[] {Activation.LINEAR}, Loss.MSE);
        TrainingConfig config = TrainingConfig.defaults().withEpochs(20).withBatchSize(2).withOptimizer(OptimizerKind.SGD)
                .withLearningRate(1.5).withLocalSteps(2);
        Checkpoints checkpoints = new Checkpoints(dir.toString(), sc.hadoopConfiguration());
        TrainingListener writer = new CheckpointWriter(checkpoints, 1, linear, null, CheckpointWriter.settingsOf(linear, config, data));
        DivergenceException e = assertThrows(DivergenceException.class,
                () -> new Trainer(sc, config).fit(linear, new double[] {1, 0}, data, null, writer));
        assertTrue(e.getMessage().contains("gradient norm"), e.getMessage());
        assertEquals(5, e.epoch(), e.getMessage());
        assertEquals(2, e.step(), e.getMessage());
        assertEquals(4, checkpoints.latest().orElseThrow().state().epoch(), "the last good checkpoint stays");
        data.unpersist();
    }

    @Test
    void aFullBatchHasNothingToGroupAndIsRefused() {
        IllegalArgumentException config = assertThrows(IllegalArgumentException.class,
                () -> TrainingConfig.defaults().withBatchSize(0).withLocalSteps(2));
        assertTrue(config.getMessage().contains("local steps 2 (--local-steps, localSteps) group mini-batch steps into one Spark job, but batch size 0 (--batch-size, batchSize) makes a full batch"), config.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TrainingConfig.defaults().withLocalSteps(0));
        // A batch as large as the data is a full batch too: known only once the rows are counted.
        TrainingSet data = cache(rows(new int[] {50}, 5));
        IllegalArgumentException fit = assertThrows(IllegalArgumentException.class,
                () -> fit(TrainingConfig.defaults().withBatchSize(64).withLocalSteps(2), data, TrainingListener.NONE));
        assertTrue(fit.getMessage().contains("batch size 64 (--batch-size, batchSize) makes a full batch, one step per epoch, over all 50 training rows"), fit.getMessage());
        data.unpersist();
    }
}
