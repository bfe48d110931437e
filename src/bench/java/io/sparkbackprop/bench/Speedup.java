package io.sparkbackprop.bench;

import io.sparkbackprop.nn.Initializer;
import io.sparkbackprop.nn.Topology;
import io.sparkbackprop.train.Trainer;
import io.sparkbackprop.train.TrainingConfig;
import io.sparkbackprop.train.TrainingListener;
import io.sparkbackprop.train.TrainingSet;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The speedup from a second core (the speedup section): training throughput where compute dominates, full-batch
 * steps (every row, one job), rows per second from the median step, after two warm-up steps. Run on one Spark
 * context after another (local[1], then local[2]) on the same data and partitioning, so only the cores differ.
 * Also the step clock the levers time their steps with.
 */
final class Speedup {
    private Speedup() {
    }

    static double rowsPerSecond(JavaSparkContext sc, TrainingSet train, Topology sigmoid, BenchSettings s) {
        int warm = 2;
        TrainingConfig config = FullBatchRace.fullBatch(s, s.chunkSize()).withEpochs(warm + s.speedupSteps());
        return train.rows() / medianStepSeconds(sc, train, sigmoid, config, warm);
    }

    /** Median interval between consecutive steps' ends of a run of {@code config}, leaving out the first {@code warm} steps. */
    static double medianStepSeconds(JavaSparkContext sc, TrainingSet data, Topology t, TrainingConfig config, int warm) {
        return medianStepSeconds(sc, data, t, config, warm, Integer.MAX_VALUE);
    }

    /**
     * The same, ending the run after {@code maxSteps} steps even within an epoch (an epoch of two million rows at batch
     * 1,024 is some 2,000 steps), through the step loop's stop signal.
     */
    static double medianStepSeconds(JavaSparkContext sc, TrainingSet data, Topology t, TrainingConfig config, int warm, int maxSteps) {
        List<Long> stamps = new ArrayList<>();
        TrainingListener clock = new TrainingListener() {
            @Override
            public void onStep(int epoch, int step, double lossSum, double rows) {
                stamps.add(System.nanoTime());
            }

            @Override
            public boolean stopRequested() {
                return stamps.size() >= maxSteps;
            }
        };
        new Trainer(sc, config).fit(t, Initializer.XAVIER.initialize(t, config.seed()), data, null, clock);
        List<Double> seconds = new ArrayList<>();
        for (int i = Math.max(1, warm); i < stamps.size(); i++) seconds.add((stamps.get(i) - stamps.get(i - 1)) / 1e9);
        return StepOverhead.median(seconds);
    }
}
