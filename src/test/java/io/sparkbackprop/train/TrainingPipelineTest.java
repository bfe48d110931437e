package io.sparkbackprop.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.sparkbackprop.SparkTestSession;
import io.sparkbackprop.data.Block;
import io.sparkbackprop.data.Friedman1;
import io.sparkbackprop.nn.Activation;
import io.sparkbackprop.nn.Initializer;
import io.sparkbackprop.nn.Loss;
import io.sparkbackprop.nn.Precision;
import io.sparkbackprop.nn.Topology;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The pipeline's own decisions: how it partitions the blocks it trains on (local[2]: two task slots). */
class TrainingPipelineTest {
    private static SparkSession spark;
    private static JavaSparkContext sc;
    private static final Topology T = Topology.input(Friedman1.FEATURES).layer(8, Activation.TANH).output(1, Loss.MSE);
    private static final TrainingConfig CONFIG = TrainingConfig.defaults().withEpochs(3).withBatchSize(64).withSeed(11);

    @BeforeAll
    static void start() {
        spark = SparkTestSession.start("TrainingPipelineTest");
        sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** 600 rows in 12 partitions of one block each, as a shuffle or a join leaves a DataFrame (with fewer rows). */
    private static JavaRDD<Block> twelvePartitions() {
        return Friedman1.generate(sc, 600, 12, 5, 4096);
    }

    private static double[] viaPipeline(JavaRDD<Block> blocks, boolean keep, double[] w0) {
        return new TrainingPipeline(sc, T, CONFIG).startWeights(w0).keepPartitioning(keep)
                .run(new TrainingPipeline.Data(blocks, null, null, null)).network().weights();
    }

    private static double[] viaTrainer(JavaRDD<Block> blocks, double[] w0) {
        TrainingSet set = TrainingSet.cache(blocks, "reference");
        try {
            return new Trainer(sc, CONFIG).fit(T, w0, set, null, TrainingListener.NONE).weights();
        } finally {
            set.unpersist();
        }
    }

    @Test
    void moreInputPartitionsThanTaskSlotsAreMergedContiguouslyIntoAsManyAsTheSlots() {
        double[] w0 = Initializer.XAVIER.initialize(T, 3);
        List<Block> blocks = twelvePartitions().collect();
        assertEquals(12, blocks.size(), "one block a partition");
        // The reference: the same blocks in the same order, cut into 2 partitions of 6 by hand (parallelize's slices).
        double[] byHand = viaTrainer(sc.parallelize(blocks, 2), w0);
        double[] merged = viaPipeline(twelvePartitions(), false, w0);
        assertArrayEquals(byHand, merged, 0.0);
        assertArrayEquals(merged, viaPipeline(twelvePartitions(), false, w0), 0.0, "reproducible");
        // Kept: the 12 partitions' own trajectory (each partition has its own epoch order), another model.
        double[] kept = viaPipeline(twelvePartitions(), true, w0);
        assertArrayEquals(viaTrainer(twelvePartitions(), w0), kept, 0.0);
        assertNotEquals(java.util.Arrays.toString(merged), java.util.Arrays.toString(kept));
    }

    @Test
    void theCoalescerGroupsContiguousRanges() {
        JavaRDD<Integer> ints = sc.parallelize(java.util.stream.IntStream.range(0, 10).boxed().toList(), 10);
        List<List<Integer>> groups = ContiguousCoalescer.toAtMost(ints, 3).glom().collect();
        assertEquals(List.of(List.of(0, 1, 2, 3), List.of(4, 5, 6), List.of(7, 8, 9)), groups);
        assertEquals(10, ContiguousCoalescer.toAtMost(ints, 12).getNumPartitions(), "never more partitions");
    }

    /** Bytes in memory of a cached RDD, from Spark's storage report. */
    private static long cachedBytes(JavaRDD<?> rdd) {
        for (org.apache.spark.storage.RDDInfo info : sc.sc().getRDDStorageInfo()) {
            if (info.id() == rdd.id()) return info.memSize();
        }
        throw new AssertionError("rdd " + rdd.id() + " is not cached");
    }

    @Test
    void aFloatRunCachesItsTrainingRowsInFloatAndItsTestRowsAsTheyAre() {
        long[][] bytes = new long[2][2];
        boolean[][] single = new boolean[2][2];
        for (Precision p : Precision.values()) {
            int i = p.ordinal();
            new TrainingPipeline(sc, T, CONFIG.withEpochs(1).withPrecision(p))
                    .beforeTraining((train, test) -> {
                        bytes[i][0] = cachedBytes(train.blocks());
                        bytes[i][1] = cachedBytes(test.blocks());
                        single[i][0] = train.blocks().first().single();
                        single[i][1] = test.blocks().first().single();
                    })
                    .run(new TrainingPipeline.Data(Friedman1.generate(sc, 4000, 2, 5, 4096), Friedman1.generate(sc, 400, 2, 6, 4096), null, null));
        }
        int d = Precision.DOUBLE.ordinal();
        int f = Precision.FLOAT.ordinal();
        assertEquals(List.of(false, false, true, false), List.of(single[d][0], single[d][1], single[f][0], single[f][1]));
        // Per row: 10 features and 1 label; in double 8·10 + 8 bytes, in float 4·10 + 8 (the label stays double).
        double expected = (4.0 * Friedman1.FEATURES + 8) / (8.0 * Friedman1.FEATURES + 8);
        assertEquals(expected, (double) bytes[f][0] / bytes[d][0], 0.02, "training rows' memory, float over double: " + bytes[f][0]
                + " vs " + bytes[d][0] + " bytes");
        assertEquals(bytes[d][1], bytes[f][1], "test rows' memory");
    }
}
