package io.sparkbackprop.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.SparkTestSession;
import io.sparkbackprop.data.Block;
import io.sparkbackprop.data.Friedman1;
import io.sparkbackprop.nn.Activation;
import io.sparkbackprop.nn.Initializer;
import io.sparkbackprop.nn.Loss;
import io.sparkbackprop.nn.Precision;
import io.sparkbackprop.nn.Topology;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Whole training runs with --precision float against the same runs in double, and against themselves. */
class FloatTrainingTest {
    private static SparkSession spark;
    private static JavaSparkContext sc;
    private static TrainingSet train;
    private static TrainingSet weighted;
    private static final Topology TOPOLOGY = new Topology(new int[] {10, 16, 8, 1},
            new Activation[] {Activation.TANH, Activation.RELU, Activation.LINEAR}, Loss.MSE);

    @BeforeAll
    static void start() {
        spark = SparkTestSession.start("FloatTrainingTest");
        sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        train = TrainingSet.cache(Friedman1.generate(sc, 600, 3, 5, 64), "friedman");
        // The same rows, each with a weight in [0.2, 2) drawn from its position.
        weighted = TrainingSet.cache(Friedman1.generate(sc, 600, 3, 5, 64).map(b -> {
            double[] w = new double[b.rows()];
            SplittableRandom rng = new SplittableRandom(b.rows() * 31L + (long) (b.labels()[0] * 1e6));
            for (int j = 0; j < w.length; j++) w[j] = rng.nextDouble(0.2, 2);
            return new Block(b.rows(), b.numFeatures(), b.labelWidth(), b.features(), b.labels(), w);
        }), "friedman-weighted");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static TrainingResult fit(TrainingConfig config, TrainingSet data) {
        return new Trainer(sc, config).fit(TOPOLOGY, Initializer.XAVIER.initialize(TOPOLOGY, 3), data, null, TrainingListener.NONE);
    }

    private static double relativeDistance(double[] a, double[] b) {
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < a.length; i++) {
            diff += (a[i] - b[i]) * (a[i] - b[i]);
            norm += b[i] * b[i];
        }
        return Math.sqrt(diff / norm);
    }

    @Test
    void aFullBatchRunInFloatLandsBesideTheSameRunInDouble() {
        // Chunks of 16 rows: every block runs through several chunks, as with MNIST's blockSize.
        TrainingConfig config = TrainingConfig.defaults().withBatchSize(0).withOptimizer(OptimizerKind.SGD).withLearningRate(0.01)
                .withEpochs(15).withChunkSize(16).withSeed(9);
        TrainingResult inDouble = fit(config, train);
        TrainingResult inFloat = fit(config.withPrecision(Precision.FLOAT), train);
        double distance = relativeDistance(inFloat.weights(), inDouble.weights());
        // Measured about 1e-8: float rounding of each step, not amplified at a stable learning rate.
        assertTrue(distance < 1e-6, "float weights are " + distance + " of the norm from double's");
        assertTrue(distance > 0, "float mode must not run the double kernel");
        for (int e = 0; e < 15; e++) {
            double d = inDouble.history().get(e).trainLoss();
            assertEquals(d, inFloat.history().get(e).trainLoss(), 1e-6 * d, "train loss of epoch " + (e + 1));
        }
        assertTrue(inFloat.history().get(14).trainLoss() < 0.8 * inFloat.history().get(0).trainLoss(), "float training learns");
    }

    @Test
    void miniBatchesWithRowWeightsAndDropoutFollowTheDoubleRunAndRepeatBitForBit() {
        TrainingConfig config = TrainingConfig.defaults().withBatchSize(100).withEpochs(3).withChunkSize(32).withSeed(4)
                .withLearningRate(0.01).withDropout(0.2);
        TrainingConfig inFloat = config.withPrecision(Precision.FLOAT);
        TrainingResult first = fit(inFloat, weighted);
        TrainingResult second = fit(inFloat, weighted);
        assertArrayEquals(first.weights(), second.weights(), 0.0, "same seed and partitioning: the same weights, bit for bit");
        TrainingResult inDouble = fit(config, weighted);
        // Measured about 1e-8 after 18 Adam steps.
        double distance = relativeDistance(first.weights(), inDouble.weights());
        assertTrue(distance < 1e-6, "float weights are " + distance + " of the norm from double's");
        for (int e = 0; e < 3; e++) {
            double d = inDouble.history().get(e).trainLoss();
            assertEquals(d, first.history().get(e).trainLoss(), 1e-6 * d, "train loss of epoch " + (e + 1));
        }
    }

    /** The same blocks with every feature rounded to float and held in double. */
    private static TrainingSet roundedInDouble(TrainingSet data, String name) {
        return TrainingSet.cache(data.blocks().map(b -> {
            double[] x = b.features().clone();
            for (int i = 0; i < x.length; i++) x[i] = (float) x[i];
            return b.withValues(x, b.labels());
        }), name);
    }

    @Test
    void rowsCachedInFloatGiveTheFloatPassTheSameBitsAsDoubleRows() {
        // The float pass rounds a double chunk to float itself; rows cached in float hold those very floats, so full
        // batches, mini-batches (gathered in float) with row weights and dropout, and evaluation must not move a bit.
        TrainingSet inSingle = weighted.inSingle("friedman-weighted-float");
        TrainingSet rounded = roundedInDouble(weighted, "friedman-weighted-rounded");
        try {
            assertTrue(inSingle.blocks().first().single(), "the copy holds float features");
            TrainingConfig full = TrainingConfig.defaults().withBatchSize(0).withOptimizer(OptimizerKind.SGD).withLearningRate(0.01)
                    .withEpochs(4).withChunkSize(16).withSeed(9).withPrecision(Precision.FLOAT);
            TrainingConfig mini = TrainingConfig.defaults().withBatchSize(100).withEpochs(2).withChunkSize(32).withSeed(4)
                    .withLearningRate(0.01).withDropout(0.2).withPrecision(Precision.FLOAT);
            for (TrainingConfig c : new TrainingConfig[] {full, mini}) {
                assertArrayEquals(fit(c, weighted).weights(), fit(c, inSingle).weights(), 0.0, "batch size " + c.batchSize());
                // A double pass over float rows reads them widened: the double pass over the rounded rows.
                TrainingConfig inDouble = c.withPrecision(Precision.DOUBLE);
                assertArrayEquals(fit(inDouble, rounded).weights(), fit(inDouble, inSingle).weights(), 0.0,
                        "double pass, batch size " + c.batchSize());
            }
            double[] w = Initializer.XAVIER.initialize(TOPOLOGY, 5);
            Trainer trainer = new Trainer(sc, full);
            assertArrayEquals(trainer.evaluate(rounded, TOPOLOGY, w), trainer.evaluate(inSingle, TOPOLOGY, w), 0.0, "mean loss");
        } finally {
            inSingle.unpersist();
            rounded.unpersist();
        }
    }
}
