package io.sparkbackprop.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Schedules, L2, clipping, dropout, early stopping and accuracy in the distributed step loop. */
class TrainingOptionsTest {
    private static SparkSession spark;
    private static JavaSparkContext sc;
    private static final Topology T = new Topology(new int[] {3, 5, 1}, new Activation[] {Activation.TANH, Activation.LINEAR}, Loss.MSE);

    @BeforeAll
    static void start() {
        spark = SparkTestSession.start("TrainingOptionsTest");
        sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** Rows x ∈ [−1, 1]³ with y = sin(2·x0) + x1·x2, and the same rows as a cached set over some partitions. */
    private record Data(double[][] xs, double[][] ys, TrainingSet set) {
        static Data of(int rows, int partitions, long seed) {
            SplittableRandom rng = new SplittableRandom(seed);
            double[][] xs = new double[rows][3];
            double[][] ys = new double[rows][1];
            for (int i = 0; i < rows; i++) {
                for (int c = 0; c < 3; c++) xs[i][c] = rng.nextDouble(-1, 1);
                ys[i][0] = Math.sin(2 * xs[i][0]) + xs[i][1] * xs[i][2];
            }
            return new Data(xs, ys, cache(xs, ys, partitions));
        }
    }

    static TrainingSet cache(double[][] xs, double[][] ys, int partitions) {
        List<Block> parts = new ArrayList<>();
        int f = xs[0].length;
        int l = ys[0].length;
        for (int p = 0; p < partitions; p++) {
            int from = xs.length * p / partitions;
            int to = xs.length * (p + 1) / partitions;
            double[] x = new double[(to - from) * f];
            double[] y = new double[(to - from) * l];
            for (int j = from; j < to; j++) {
                System.arraycopy(xs[j], 0, x, (j - from) * f, f);
                System.arraycopy(ys[j], 0, y, (j - from) * l, l);
            }
            parts.add(new Block(to - from, f, l, x, y));
        }
        return TrainingSet.cache(sc.parallelize(parts, partitions), "data");
    }

    private static ReferenceNetwork reference(double[] w) {
        ReferenceNetwork ref = new ReferenceNetwork(T.sizes(), new String[] {"tanh", "linear"}, "mse");
        ref.setFlat(w);
        return ref;
    }

    private static TrainingConfig fullBatchSgd(double lr, int epochs) {
        return TrainingConfig.defaults().withEpochs(epochs).withBatchSize(0).withOptimizer(OptimizerKind.SGD).withLearningRate(lr);
    }

    @Test
    void aStepScheduleFollowsTheReferenceNetworkAtTheScheduledRates() {
        Data d = Data.of(200, 2, 1);
        double[] w0 = Initializer.XAVIER.initialize(T, 1);
        TrainingConfig cfg = fullBatchSgd(0.2, 4).withSchedule(LearningRateSchedule.of("step", 0.5, 1, 0, 0));
        TrainingResult r = new Trainer(sc, cfg).fit(T, w0, d.set, null, TrainingListener.NONE);
        ReferenceNetwork ref = reference(w0);
        for (double lr : new double[] {0.2, 0.1, 0.05, 0.025}) ref.sgdStep(d.xs, d.ys, lr);
        assertArrayEquals(ref.flat(), r.weights(), 1e-10);
        assertEquals(0.025, r.history().get(3).learningRate(), 0.0);
        d.set.unpersist();
    }

    @Test
    void l2AddsLambdaTimesTheWeightMatricesAndClippingCapsTheNorm() {
        Data d = Data.of(150, 3, 2);
        double[] w0 = Initializer.SCALED_NORMAL.initialize(T, 2);
        double lambda = 0.3;
        double lr = 0.1;
        double[] g = reference(w0).gradient(d.xs, d.ys);
        // Which flat entries are weights (1) and which biases (0), through the reference's own layout.
        ReferenceNetwork ones = new ReferenceNetwork(T.sizes(), new String[] {"tanh", "linear"}, "mse");
        for (double[][] layer : ones.w) for (double[] row : layer) Arrays.fill(row, 1.0);
        double[] isWeight = ones.flat();
        double[] withL2 = new double[g.length];
        double sq = 0;
        for (int i = 0; i < g.length; i++) {
            withL2[i] = g[i] + lambda * isWeight[i] * w0[i];
            sq += withL2[i] * withL2[i];
        }
        double norm = Math.sqrt(sq);

        double[] expectedL2 = new double[g.length];
        for (int i = 0; i < g.length; i++) expectedL2[i] = w0[i] - lr * withL2[i];
        TrainingResult l2 = new Trainer(sc, fullBatchSgd(lr, 1).withL2(lambda)).fit(T, w0, d.set, null, TrainingListener.NONE);
        assertArrayEquals(expectedL2, l2.weights(), 1e-12);

        double cap = norm / 4; // the gradient is 4× too long: scaled to a quarter
        double[] expectedClipped = new double[g.length];
        for (int i = 0; i < g.length; i++) expectedClipped[i] = w0[i] - lr * withL2[i] / 4;
        TrainingResult clipped = new Trainer(sc, fullBatchSgd(lr, 1).withL2(lambda).withClipNorm(cap))
                .fit(T, w0, d.set, null, TrainingListener.NONE);
        assertArrayEquals(expectedClipped, clipped.weights(), 1e-12);

        // A cap above the norm changes nothing.
        TrainingResult loose = new Trainer(sc, fullBatchSgd(lr, 1).withL2(lambda).withClipNorm(norm * 1.01))
                .fit(T, w0, d.set, null, TrainingListener.NONE);
        assertArrayEquals(expectedL2, loose.weights(), 1e-12);
        d.set.unpersist();
    }

    @Test
    void dropoutIsReproducibleChangesTheTrajectoryAndIsOffWhenTesting() {
        Topology deep = Topology.of(10, new int[] {16, 16}, Activation.RELU, 1, Loss.MSE);
        TrainingSet train = TrainingSet.cache(Friedman1.generate(sc, 1200, 3, 3, 256), "train");
        TrainingSet test = TrainingSet.cache(Friedman1.generate(sc, 300, 2, 4, 256), "test");
        double[] w0 = Initializer.HE.initialize(deep, 5);
        TrainingConfig cfg = TrainingConfig.defaults().withEpochs(3).withBatchSize(100).withLearningRate(0.01).withDropout(0.3);
        TrainingResult a = new Trainer(sc, cfg).fit(deep, w0, train, test, TrainingListener.NONE);
        TrainingResult b = new Trainer(sc, cfg).fit(deep, w0, train, test, TrainingListener.NONE);
        assertArrayEquals(a.weights(), b.weights(), 0.0, "same seed and partitioning: the same masks, bit for bit");
        TrainingResult otherSeed = new Trainer(sc, cfg.withSeed(7)).fit(deep, w0, train, test, TrainingListener.NONE);
        TrainingResult none = new Trainer(sc, cfg.withDropout(0)).fit(deep, w0, train, test, TrainingListener.NONE);
        assertFalse(Arrays.equals(a.weights(), otherSeed.weights()));
        assertFalse(Arrays.equals(a.weights(), none.weights()));
        // The test loss is the whole network's, without dropout.
        double full = new Trainer(sc, cfg).evaluate(test, deep, a.weights())[0];
        assertEquals(full, a.history().get(2).testLoss(), 0.0);
        // The train loss, measured on thinned networks, is above what the same weights score whole.
        assertTrue(a.history().get(2).trainLoss() > new Trainer(sc, cfg).evaluate(train, deep, a.weights())[0]);
        // Full batch too: masks keyed by row within the partition.
        TrainingConfig fullBatch = cfg.withBatchSize(0).withEpochs(2);
        assertArrayEquals(new Trainer(sc, fullBatch).fit(deep, w0, train, null, TrainingListener.NONE).weights(),
                new Trainer(sc, fullBatch).fit(deep, w0, train, null, TrainingListener.NONE).weights(), 0.0);
        train.unpersist();
        test.unpersist();
    }

    @Test
    void earlyStoppingKeepsTheWeightsOfTheBestTestLoss() {
        // Train on y = x, test on y = −x: learning the training data makes the test loss worse every epoch, so the
        // first evaluation is the best, and patience 2 stops after epoch 3 with epoch 1's weights.
        Topology linear = new Topology(new int[] {1, 1}, new Activation[] {Activation.LINEAR}, Loss.MSE);
        double[][] x = {{1}, {2}, {3}};
        TrainingSet train = cache(x, new double[][] {{1}, {2}, {3}}, 2);
        TrainingSet test = cache(x, new double[][] {{-1}, {-2}, {-3}}, 1);
        TrainingConfig cfg = fullBatchSgd(0.01, 10).withEarlyStopping(2);
        TrainingResult r = new Trainer(sc, cfg).fit(linear, new double[] {0, 0}, train, test, TrainingListener.NONE);
        // From W = b = 0: dW = mean(2(ŷ − y)·x) = −2·(1 + 4 + 9)/3 = −28/3, db = mean(2(ŷ − y)) = −4.
        assertArrayEquals(new double[] {0.01 * 28 / 3, 0.04}, r.weights(), 1e-15);
        assertEquals(1, r.bestEpoch());
        assertEquals(3, r.history().size());
        assertTrue(r.history().get(2).testLoss() > r.history().get(0).testLoss());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Trainer(sc, cfg).fit(linear, new double[] {0, 0}, train, null, TrainingListener.NONE));
        assertTrue(e.getMessage().contains("there are no test rows"), e.getMessage());
        train.unpersist();
        test.unpersist();
    }

    @Test
    void everyOptimizerReducesTheLossOnASmallProblem() {
        Data d = Data.of(800, 2, 3);
        Topology t = Topology.of(3, new int[] {16}, Activation.TANH, 1, Loss.MSE);
        double[] w0 = Initializer.XAVIER.initialize(t, 4);
        for (OptimizerKind kind : OptimizerKind.values()) {
            for (boolean nesterov : kind == OptimizerKind.MOMENTUM ? new boolean[] {false, true} : new boolean[] {false}) {
                TrainingConfig cfg = TrainingConfig.defaults().withOptimizer(kind).withNesterov(nesterov).withEpochs(6).withBatchSize(50);
                List<EpochRecord> h = new Trainer(sc, cfg).fit(t, w0, d.set, null, TrainingListener.NONE).history();
                double first = h.get(0).trainLoss();
                double last = h.get(h.size() - 1).trainLoss();
                assertTrue(last < 0.7 * first, kind.id() + (nesterov ? " (nesterov)" : "") + ": train loss " + first + " → " + last);
            }
        }
        d.set.unpersist();
    }

    @Test
    void classifiersReportTheShareOfTestRowsTheyGetRight() {
        // Three classes by the signs of two features; accuracy recomputed with the reference network's argmax.
        SplittableRandom rng = new SplittableRandom(9);
        double[][] xs = new double[300][2];
        double[][] ys = new double[300][1];
        for (int i = 0; i < xs.length; i++) {
            xs[i][0] = rng.nextDouble(-1, 1);
            xs[i][1] = rng.nextDouble(-1, 1);
            ys[i][0] = xs[i][0] < 0 ? 0 : xs[i][1] < 0 ? 1 : 2;
        }
        Topology t = Topology.of(2, new int[] {8}, Activation.TANH, 3, Loss.CROSS_ENTROPY);
        TrainingSet train = cache(Arrays.copyOf(xs, 200), Arrays.copyOf(ys, 200), 2);
        TrainingSet test = cache(Arrays.copyOfRange(xs, 200, 300), Arrays.copyOfRange(ys, 200, 300), 2);
        TrainingConfig cfg = TrainingConfig.defaults().withEpochs(3).withBatchSize(20).withLearningRate(0.01);
        TrainingResult r = new Trainer(sc, cfg).fit(t, Initializer.XAVIER.initialize(t, 1), train, test, TrainingListener.NONE);
        ReferenceNetwork ref = new ReferenceNetwork(t.sizes(), new String[] {"tanh", "softmax"}, "cross-entropy");
        ref.setFlat(r.weights());
        int right = 0;
        for (int i = 200; i < 300; i++) {
            double[] p = ref.predict(xs[i]);
            int best = 0;
            for (int c = 1; c < 3; c++) if (p[c] > p[best]) best = c;
            right += best == (int) ys[i][0] ? 1 : 0;
        }
        double accuracy = r.history().get(2).testAccuracy();
        assertEquals(right / 100.0, accuracy, 1e-12);
        assertTrue(accuracy > 0.5 && accuracy < 1, "accuracy " + accuracy);
        assertFalse(Double.isNaN(r.history().get(0).testAccuracy()), "measured every epoch");
        // Regression has none.
        Data d = Data.of(100, 1, 5);
        TrainingResult reg = new Trainer(sc, fullBatchSgd(0.1, 1)).fit(T, Initializer.XAVIER.initialize(T, 1), d.set, d.set,
                TrainingListener.NONE);
        assertTrue(Double.isNaN(reg.history().get(0).testAccuracy()));
        train.unpersist();
        test.unpersist();
        d.set.unpersist();
    }
}
