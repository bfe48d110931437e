package io.sparkbackprop.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.SparkTestSession;
import io.sparkbackprop.data.Friedman1;
import io.sparkbackprop.nn.Activation;
import io.sparkbackprop.nn.Initializer;
import io.sparkbackprop.nn.Loss;
import io.sparkbackprop.nn.Topology;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.BlockId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * 2,000 steps on local[2] (batch 1: nothing but per-step overhead): every step broadcasts the weights and
 * must destroy them again, so the number of live broadcast blocks and the driver's heap stay flat.
 * Measured: the broadcast blocks in the block manager and the used heap after a full GC, at step 200
 * (after warm-up) and at step 2,000.
 */
class SoakTest {
    private static SparkSession spark;
    private static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        spark = SparkTestSession.start("SoakTest");
        sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static int liveBroadcastBlocks() {
        scala.Function1<BlockId, Object> isBroadcast = id -> id.isBroadcast();
        return SparkEnv.get().blockManager().getMatchingBlockIds(isBroadcast).size();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @Test
    void twoThousandStepsLeaveNoBroadcastsOrHeapBehind() {
        TrainingSet data = TrainingSet.cache(Friedman1.generate(sc, 1000, 2, 1, 256), "soak");
        Topology t = Topology.of(10, new int[] {32}, Activation.RELU, 1, Loss.MSE);
        List<long[]> samples = new ArrayList<>();
        TrainingListener probe = new TrainingListener() {
            int steps;

            @Override
            public void onStep(int epoch, int step, double lossSum, double rows) {
                steps++;
                if (steps == 200 || steps == 2000) samples.add(new long[] {steps, liveBroadcastBlocks(), usedHeapAfterGc()});
            }
        };
        long t0 = System.nanoTime();
        TrainingConfig cfg = TrainingConfig.defaults().withEpochs(2).withBatchSize(1).withLearningRate(1e-4);
        TrainingResult r = new Trainer(sc, cfg).fit(t, Initializer.HE.initialize(t, 1), data, null, probe);
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(2000, r.steps());
        long[] early = samples.get(0);
        long[] late = samples.get(1);
        // Spark's task-binary broadcasts are removed asynchronously by its ContextCleaner after a GC: give it
        // a few seconds to catch up before counting what is left for good.
        for (int i = 0; i < 40 && liveBroadcastBlocks() > early[1] + 10; i++) {
            usedHeapAfterGc();
            sleep(250);
        }
        late[1] = liveBroadcastBlocks();
        System.out.printf("soak: %d steps in %.1f s (%.1f ms/step); live broadcast blocks %d at step 200, %d at step 2000; "
                + "driver heap after GC %.1f MB at step 200, %.1f MB at step 2000%n", r.steps(), seconds, 1000 * seconds / r.steps(),
                early[1], late[1], early[2] / 1e6, late[2] / 1e6);
        // 1,800 piled-up weight broadcasts would be thousands of blocks (value and pieces).
        assertTrue(late[1] <= early[1] + 10, "broadcast blocks grew from " + early[1] + " to " + late[1]);
        assertTrue(late[2] - early[2] < 32e6, "driver heap grew by " + (late[2] - early[2]) / 1e6 + " MB over 1,800 steps");
        data.unpersist();
    }
}
