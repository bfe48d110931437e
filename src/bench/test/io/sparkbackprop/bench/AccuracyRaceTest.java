package io.sparkbackprop.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.SparkTestSession;
import io.sparkbackprop.nn.Activation;
import io.sparkbackprop.nn.Loss;
import io.sparkbackprop.nn.Topology;
import io.sparkbackprop.train.TrainingSet;
import java.util.Set;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Our runner of the race to a test accuracy, and the accuracy it checks, on a few hundred generated rows. */
class AccuracyRaceTest {
    private static SparkSession spark;
    private static JavaSparkContext sc;
    private static BenchData data;
    private static TrainingSet test;

    @BeforeAll
    static void start() throws Exception {
        spark = SparkTestSession.start("AccuracyRaceTest");
        sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        data = BenchData.load(spark, null, 300, 2, 7);
        test = BenchData.cachedBlocks(data.test(), "race-test");
    }

    @AfterAll
    static void stop() {
        test.unpersist();
        data.unpersist();
        spark.stop();
    }

    private static BenchSettings settings(double targetAccuracy, int maxEpochs) {
        return new BenchSettings(300, new int[] {16}, 64, 2, null, 3, 1, 20, targetAccuracy, 32, 0.02, maxEpochs, 5, 100, 2, 0.05, 7,
                Set.of("accuracy"));
    }

    @Test
    void ourRunStopsAtTheEpochThatReachesTheTarget() {
        int maxEpochs = 20;
        AccuracyRace.Run run = AccuracyRace.ours(sc, data.train(), test, settings(0.5, maxEpochs), 32, 0.02, 1, maxEpochs);
        assertTrue(run.reached(), "generated classes are separable: 50% is reached well within 20 epochs; best " + run.bestAccuracy());
        // The listener asked the trainer to stop: no epoch was checked after the one that reached the target.
        assertEquals(run.reachedAt(), run.lastChecked());
        assertTrue(run.reachedAt() >= 1 && run.reachedAt() < maxEpochs, "reached at epoch " + run.reachedAt());
        assertTrue(run.bestAccuracy() >= 0.5 && run.seconds() > 0 && run.seconds() <= run.spentSeconds(), run.toString());
    }

    @Test
    void accuracyOfAllZeroWeightsIsTheShareOfClassZero() {
        // Equal logits: the first class wins every row, so the accuracy is the share of test rows labelled 0.
        Topology t = Topology.of(MnistFiles.PIXELS, new int[] {16}, Activation.RELU, MnistFiles.CLASSES, Loss.CROSS_ENTROPY);
        double zeros = data.test().filter("label = 0").count();
        double share = zeros / data.test().count();
        assertEquals(share, Accuracy.of(sc, test, t, new double[t.numParams()], 64), 1e-12);
    }
}
