package io.sparkbackprop.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.SparkTestSession;
import io.sparkbackprop.data.Friedman1;
import io.sparkbackprop.io.EpochRecord;
import io.sparkbackprop.nn.Activation;
import io.sparkbackprop.nn.Initializer;
import io.sparkbackprop.nn.Loss;
import io.sparkbackprop.nn.Topology;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointResumeTest {
    private static SparkSession spark;
    private static JavaSparkContext sc;
    private static TrainingSet train;
    private static TrainingSet test;
    private static final Topology T = Topology.of(10, new int[] {16, 8}, Activation.RELU, 1, Loss.MSE);

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        spark = SparkTestSession.start("CheckpointResumeTest");
        sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        train = TrainingSet.cache(Friedman1.generate(sc, 3000, 3, 1, 256), "train");
        test = TrainingSet.cache(Friedman1.generate(sc, 500, 2, 2, 256), "test");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static final TrainingConfig CONFIG = TrainingConfig.defaults().withEpochs(6).withBatchSize(128).withSeed(11);

    /** Simulates the driver dying in the middle of an epoch. */
    private static final class Killed extends RuntimeException {
    }

    @Test
    void aRunKilledMidEpochAndResumedEndsExactlyAsAnUninterruptedOne() {
        killAndResume(CONFIG, "ckpt");
    }

    @Test
    void nesterovMomentumWithWarmUpCosineDropoutL2AndClippingResumesBitForBit() {
        // Killed in epoch 4, the first after a 3-epoch warm-up: the resumed run must pick the cosine up where it was.
        killAndResume(CONFIG.withOptimizer(OptimizerKind.MOMENTUM).withNesterov(true).withLearningRate(0.01)
                .withSchedule(LearningRateSchedule.of("cosine", null, 1, 0.001, 3)).withDropout(0.2).withL2(1e-3).withClipNorm(5),
                "momentum");
    }

    @Test
    void adamWWithStepDecayAndEarlyStoppingResumesBitForBit() {
        // Early stopping carries its best weights through the checkpoint; the step schedule halves the rate mid-run.
        // (Every optimizer's state round trip is checked in OptimizerTest.)
        killAndResume(CONFIG.withOptimizer(OptimizerKind.ADAMW).withWeightDecay(0.05).withLearningRate(0.003)
                .withSchedule(LearningRateSchedule.of("step", 0.5, 2, 0, 0)).withEarlyStopping(2), "adamw");
    }

    @Test
    void localStepsWithAdamAndDropoutResumeBitForBitAndOnlyWithTheSameK() {
        // 24 steps an epoch in jobs of 5 (the last of 4); killed within epoch 4, after its second job.
        TrainingConfig local = CONFIG.withLocalSteps(5).withDropout(0.1);
        killAndResume(local, "local");
        Checkpoints.Saved saved = new Checkpoints(dir.resolve("local").toUri().toString(), sc.hadoopConfiguration()).latest().orElseThrow();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checkpoints.requireSameSettings(saved,
                CheckpointWriter.settingsOf(T, local.withLocalSteps(1), train)));
        assertTrue(e.getMessage().contains("local_steps = 5, this run has 1"), e.getMessage());
    }

    private void killAndResume(TrainingConfig config, String folder) {
        double[] w0 = Initializer.HE.initialize(T, 3);
        TrainingResult uninterrupted = new Trainer(sc, config).fit(T, w0, train, test, TrainingListener.NONE);

        Checkpoints checkpoints = new Checkpoints(dir.resolve(folder).toUri().toString(), sc.hadoopConfiguration());
        Map<String, String> settings = CheckpointWriter.settingsOf(T, config, train);
        TrainingListener killInEpoch4 = new TrainingListener() {
            @Override
            public void onStep(int epoch, int step, double lossSum, double rows) {
                if (epoch == 4 && step == 5) throw new Killed();
            }
        };
        TrainingListener writer = new CheckpointWriter(checkpoints, 1, T, null, settings);
        assertThrows(Killed.class, () -> new Trainer(sc, config).fit(T, w0, train, test, TrainingListener.all(writer, killInEpoch4)));

        Checkpoints.Saved saved = checkpoints.latest().orElseThrow();
        assertEquals(3, saved.state().epoch(), "the last complete checkpoint is the one after epoch 3");
        Checkpoints.requireSameSettings(saved, settings);
        TrainingResult resumed = new Trainer(sc, config).fit(T, saved.state(), train, test, writer);

        assertArrayEquals(uninterrupted.weights(), resumed.weights(), 0.0);
        assertEquals(uninterrupted.steps(), resumed.steps());
        assertEquals(uninterrupted.bestEpoch(), resumed.bestEpoch());
        List<EpochRecord> a = uninterrupted.history();
        List<EpochRecord> b = resumed.history();
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).trainLoss(), b.get(i).trainLoss(), 1e-12 * a.get(i).trainLoss(), "train loss " + (i + 1));
            assertEquals(a.get(i).testLoss(), b.get(i).testLoss(), 1e-12 * a.get(i).testLoss(), "test loss " + (i + 1));
            assertEquals(a.get(i).learningRate(), b.get(i).learningRate(), 0.0, "learning rate " + (i + 1));
        }
        // Only the newest checkpoint is kept, and no temporary folder is left behind.
        try (var files = Files.list(dir.resolve(folder))) {
            assertEquals(List.of("checkpoint-" + String.format("%06d", a.size())), files.map(p -> p.getFileName().toString()).toList());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void resumingWithDifferentSettingsIsRefused() {
        Checkpoints checkpoints = new Checkpoints(dir.resolve("other").toString(), sc.hadoopConfiguration());
        double[] w0 = Initializer.HE.initialize(T, 3);
        TrainingConfig two = CONFIG.withEpochs(2);
        new Trainer(sc, two).fit(T, w0, train, null, new CheckpointWriter(checkpoints, 2, T, null,
                CheckpointWriter.settingsOf(T, two, train)));
        Checkpoints.Saved saved = checkpoints.latest().orElseThrow();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checkpoints.requireSameSettings(saved,
                CheckpointWriter.settingsOf(T, two.withBatchSize(64), train)));
        assertTrue(e.getMessage().contains("batch_size = 128, this run has 64"), e.getMessage());
    }

    @Test
    void optimizerStateRoundTripsExactly() {
        Adam adam = new Adam(3, 0.01);
        adam.step(new double[] {1, 2, 3}, new double[] {0.1, -0.2, 0.3}, adam.learningRate());
        Adam restored = new Adam(3, 0.01);
        restored.restore(adam.state());
        double[] w1 = {1, 2, 3};
        double[] w2 = {1, 2, 3};
        adam.step(w1, new double[] {0.5, 0.5, -0.5}, adam.learningRate());
        restored.step(w2, new double[] {0.5, 0.5, -0.5}, restored.learningRate());
        assertArrayEquals(w1, w2, 0.0);
        assertThrows(IllegalArgumentException.class, () -> new Adam(4, 0.01).restore(adam.state()));
        assertThrows(IllegalArgumentException.class, () -> new Sgd(0.1).restore(adam.state()));
    }
}
