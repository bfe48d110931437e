package io.sparkbackprop.bench;

import io.sparkbackprop.nn.Initializer;
import io.sparkbackprop.nn.Topology;
import io.sparkbackprop.train.OptimizerKind;
import io.sparkbackprop.train.Trainer;
import io.sparkbackprop.train.TrainingConfig;
import io.sparkbackprop.train.TrainingListener;
import io.sparkbackprop.train.TrainingSet;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Training throughput where compute dominates: full-batch steps (every row, one job), rows per second
 * from the median step, after two warm-up steps. Run on one Spark context after another (local[1], then
 * local[2]) on the same data and partitioning, so only the cores differ.
 */
final class Scaling {
    private Scaling() {
    }

    static double rowsPerSecond(JavaSparkContext sc, TrainingSet train, Topology sigmoid, BenchSettings s) {
        int warm = 2;
        int steps = warm + s.scalingSteps();
        List<Long> stamps = new ArrayList<>();
        TrainingListener clock = new TrainingListener() {
            @Override
            public void onStep(int epoch, int step, double lossSum, double rows) {
                stamps.add(System.nanoTime());
            }
        };
        TrainingConfig config = TrainingConfig.defaults().withEpochs(steps).withBatchSize(0).withOptimizer(OptimizerKind.SGD)
                .withLearningRate(0.03).withSeed(s.seed()).withChunkSize(s.blockSize()).withEvalEvery(Integer.MAX_VALUE);
        long t0 = System.nanoTime();
        new Trainer(sc, config).fit(sigmoid, Initializer.XAVIER.initialize(sigmoid, s.seed()), train, null, clock);
        List<Double> seconds = new ArrayList<>();
        for (int i = warm; i < stamps.size(); i++) seconds.add((stamps.get(i) - (i == 0 ? t0 : stamps.get(i - 1))) / 1e9);
        return train.rows() / StepOverhead.median(seconds);
    }
}
